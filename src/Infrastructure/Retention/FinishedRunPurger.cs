using Microsoft.EntityFrameworkCore;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Retention;

/// <summary>
/// Deletes finished runs older than <see cref="RetentionOptions.FinishedRunDays"/> with their
/// steps and logs: a batch of ids at a time, each run's log in batches, then the run in one short
/// statement. Safe when several nodes run it at once: a run another node deleted meanwhile
/// deletes nothing here.
/// </summary>
internal sealed class FinishedRunPurger
{
    private static readonly OrchRunStatus[] Finished = [OrchRunStatus.Completed, OrchRunStatus.Failed, OrchRunStatus.Cancelled];

    private readonly OrchRunDbContext _db;
    private readonly RunLogDeleter _logs;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _clock;

    public FinishedRunPurger(OrchRunDbContext db, RunLogDeleter logs, RetentionOptions options, TimeProvider clock)
    {
        _db = db;
        _logs = logs;
        _options = options;
        _clock = clock;
    }

    /// <summary>Deletes the runs past their retention; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        if (_options.FinishedRunDays == 0)
        {
            return 0;
        }

        var cutoff = _clock.GetUtcNow().AddDays(-_options.FinishedRunDays);
        var purged = 0;
        while (true)
        {
            // A finished run's last change is its finish.
            var ids = await _db.OrchRuns.AsNoTracking()
                .Where(r => Finished.Contains(r.Status) && (r.UpdatedAt ?? r.CreatedAt) < cutoff)
                .OrderBy(r => r.CreatedAt)
                .Select(r => r.Id)
                .Take(_options.RunsPerBatch)
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                await _logs.DeleteAsync(id, cancellationToken);
                purged += await _db.OrchRuns.Where(r => r.Id == id && Finished.Contains(r.Status)).ExecuteDeleteAsync(cancellationToken);
            }

            if (ids.Count < _options.RunsPerBatch)
            {
                return purged;
            }
        }
    }
}
