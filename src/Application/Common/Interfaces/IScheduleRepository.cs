using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Persistence of the <see cref="Schedule"/> aggregate and its slot records.</summary>
public interface IScheduleRepository
{
    /// <summary>The schedule, tracked for change, or null when it is not in <paramref name="namespace"/>.</summary>
    Task<Schedule?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken);

    /// <summary>One page of the namespace's schedules, newest first, untracked.</summary>
    Task<PagedResult<Schedule>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken);

    Task<int> CountAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>One page of a schedule's slot records, latest slot first.</summary>
    Task<PagedResult<ScheduleFire>> ListHistoryAsync(Guid scheduleId, int offset, int pageSize, CancellationToken cancellationToken);

    /// <summary>Enabled schedules with a slot at or before <paramref name="now"/>, earliest first, up to <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DueSchedule>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>The earliest slot any schedule waits for, or null when none does.</summary>
    Task<DateTimeOffset?> EarliestNextFireAsync(CancellationToken cancellationToken);

    /// <summary>The schedule's runs still QUEUED, RUNNING or REQUEST_CANCEL, tracked.</summary>
    Task<IReadOnlyList<OrchRun>> ListActiveRunsAsync(Guid scheduleId, CancellationToken cancellationToken);

    void Add(Schedule schedule);

    void Remove(Schedule schedule);

    /// <summary>Adds a slot record; saving a second record of the same slot fails (a conflict, as a concurrent change).</summary>
    void AddFire(ScheduleFire fire);

    /// <summary>Saves tracked changes; throws ConcurrencyConflictException when the schedule changed meanwhile.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
