using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Queries.ListSchedules;

public sealed class ListSchedulesQueryHandler : IQueryHandler<ListSchedulesQuery, PageDto<ScheduleDto>>
{
    private readonly IScheduleRepository _schedules;
    private readonly TimeProvider _clock;

    public ListSchedulesQueryHandler(IScheduleRepository schedules, TimeProvider clock)
    {
        _schedules = schedules;
        _clock = clock;
    }

    public async ValueTask<PageDto<ScheduleDto>> Handle(ListSchedulesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = query.Offset ?? 0;
        var pageSize = query.PageSize ?? PagingRules.DefaultPageSize;
        var page = await _schedules.ListAsync(query.Namespace, offset, pageSize, cancellationToken);
        var now = _clock.GetUtcNow();
        return new PageDto<ScheduleDto>
        {
            Offset = offset,
            PageSize = pageSize,
            Total = page.Total,
            List = page.Items.Select(s => s.ToDto(now)).ToList(),
        };
    }
}
