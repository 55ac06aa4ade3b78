using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Schedules.Queries.GetScheduleHistory;

/// <summary>A page of a schedule's slot records, latest slot first.</summary>
public sealed record GetScheduleHistoryQuery(string Namespace, Guid Id, int? PageSize, int? Offset) : IQuery<PageDto<ScheduleFireDto>>, INamespaceScoped;
