using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Queries.GetSchedule;

public sealed record GetScheduleQuery(string Namespace, Guid Id) : IQuery<ScheduleDto>, INamespaceScoped;
