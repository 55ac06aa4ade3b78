using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Retention;

/// <summary>
/// Deletes a run's log in ranges of <see cref="RetentionOptions.LogLinesPerBatch"/> line numbers,
/// one statement (one short transaction) each, along the table's key: a run with a million lines
/// never holds the database's write lock for more than one batch, and other writers take their
/// turns between batches. The run's row (and the few lines a worker may still add) goes after.
/// </summary>
internal sealed class RunLogDeleter
{
    private readonly OrchRunDbContext _db;
    private readonly int _batch;

    public RunLogDeleter(OrchRunDbContext db, RetentionOptions options)
    {
        _db = db;
        _batch = options.LogLinesPerBatch;
    }

    /// <summary>Deletes the run's log lines; returns how many.</summary>
    public async Task<long> DeleteAsync(Guid runId, CancellationToken cancellationToken)
    {
        var range = await _db.RunLogLines.AsNoTracking()
            .Where(l => l.RunId == runId)
            .GroupBy(l => l.RunId)
            .Select(g => new { First = g.Min(l => l.Sequence), Last = g.Max(l => l.Sequence) })
            .SingleOrDefaultAsync(cancellationToken);
        if (range is null)
        {
            return 0;
        }

        long deleted = 0;
        for (var from = range.First; from <= range.Last; from += _batch)
        {
            var to = from + _batch;

            // An explicit transaction per batch, not an autocommit statement: on SQLite it takes its
            // turn in the write gate behind the writers already waiting (FIFO), where a loop of
            // autocommit deletes would win SQLite's busy-handler race again and again and starve them.
            await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
            deleted += await _db.RunLogLines
                .Where(l => l.RunId == runId && l.Sequence >= from && l.Sequence < to)
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return deleted;
    }
}
