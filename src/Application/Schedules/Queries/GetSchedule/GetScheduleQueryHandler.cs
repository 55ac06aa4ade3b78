using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Queries.GetSchedule;

public sealed class GetScheduleQueryHandler : IQueryHandler<GetScheduleQuery, ScheduleDto>
{
    private readonly IScheduleRepository _schedules;
    private readonly TimeProvider _clock;

    public GetScheduleQueryHandler(IScheduleRepository schedules, TimeProvider clock)
    {
        _schedules = schedules;
        _clock = clock;
    }

    public async ValueTask<ScheduleDto> Handle(GetScheduleQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var schedule = await _schedules.FindAsync(query.Id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Schedule", query.Id);
        return schedule.ToDto(_clock.GetUtcNow());
    }
}
