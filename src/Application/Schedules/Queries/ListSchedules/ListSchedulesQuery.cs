using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Schedules.Queries.ListSchedules;

public sealed record ListSchedulesQuery(string Namespace, int? PageSize, int? Offset) : IQuery<PageDto<ScheduleDto>>, INamespaceScoped;
