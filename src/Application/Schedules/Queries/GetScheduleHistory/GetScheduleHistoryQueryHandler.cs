using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Queries.GetScheduleHistory;

public sealed class GetScheduleHistoryQueryHandler : IQueryHandler<GetScheduleHistoryQuery, PageDto<ScheduleFireDto>>
{
    private readonly IScheduleRepository _schedules;

    public GetScheduleHistoryQueryHandler(IScheduleRepository schedules)
    {
        _schedules = schedules;
    }

    public async ValueTask<PageDto<ScheduleFireDto>> Handle(GetScheduleHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = await _schedules.FindAsync(query.Id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Schedule", query.Id);
        var offset = query.Offset ?? 0;
        var pageSize = query.PageSize ?? PagingRules.DefaultPageSize;
        var page = await _schedules.ListHistoryAsync(query.Id, offset, pageSize, cancellationToken);
        return new PageDto<ScheduleFireDto>
        {
            Offset = offset,
            PageSize = pageSize,
            Total = page.Total,
            List = page.Items.Select(f => f.ToDto()).ToList(),
        };
    }
}
