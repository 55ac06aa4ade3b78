using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class ScheduleRepository : IScheduleRepository
{
    private readonly OrchRunDbContext _db;

    public ScheduleRepository(OrchRunDbContext db)
    {
        _db = db;
    }

    public Task<Schedule?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        _db.Schedules.SingleOrDefaultAsync(s => s.Id == id && s.Namespace == @namespace, cancellationToken);

    public async Task<PagedResult<Schedule>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken)
    {
        var query = _db.Schedules.AsNoTracking().Where(s => s.Namespace == @namespace);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .PageAsync(offset, pageSize, total, cancellationToken);
        return new PagedResult<Schedule>(items, total);
    }

    public Task<int> CountAsync(string @namespace, CancellationToken cancellationToken) =>
        _db.Schedules.CountAsync(s => s.Namespace == @namespace, cancellationToken);

    public async Task<PagedResult<ScheduleFire>> ListHistoryAsync(Guid scheduleId, int offset, int pageSize, CancellationToken cancellationToken)
    {
        var query = _db.ScheduleFires.AsNoTracking().Where(f => f.ScheduleId == scheduleId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(f => f.Slot).PageAsync(offset, pageSize, total, cancellationToken);
        return new PagedResult<ScheduleFire>(items, total);
    }

    public async Task<IReadOnlyList<DueSchedule>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        await _db.Schedules.AsNoTracking()
            .Where(s => s.NextFireAt != null && s.NextFireAt <= now)
            .OrderBy(s => s.NextFireAt)
            .Take(max)
            .Select(s => new DueSchedule(s.Id, s.Namespace, s.NextFireAt!.Value))
            .ToListAsync(cancellationToken);

    public Task<DateTimeOffset?> EarliestNextFireAsync(CancellationToken cancellationToken) =>
        _db.Schedules.Where(s => s.NextFireAt != null).MinAsync(s => s.NextFireAt, cancellationToken);

    public async Task<IReadOnlyList<OrchRun>> ListActiveRunsAsync(Guid scheduleId, CancellationToken cancellationToken) =>
        await _db.OrchRuns
            .Where(r => r.ScheduleId == scheduleId
                && (r.Status == OrchRunStatus.Queued || r.Status == OrchRunStatus.Running || r.Status == OrchRunStatus.RequestCancel))
            .ToListAsync(cancellationToken);

    public void Add(Schedule schedule) => _db.Schedules.Add(schedule);

    public void Remove(Schedule schedule) => _db.Schedules.Remove(schedule);

    public void AddFire(ScheduleFire fire) => _db.ScheduleFires.Add(fire);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => _db.SaveChangesGuardedAsync(cancellationToken);
}
