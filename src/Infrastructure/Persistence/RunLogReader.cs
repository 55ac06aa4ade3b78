using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>Streams a run's log lines from the database in key order.</summary>
internal sealed class RunLogReader : IRunLogReader
{
    private readonly OrchRunDbContext _db;

    public RunLogReader(OrchRunDbContext db)
    {
        _db = db;
    }

    public async IAsyncEnumerable<RunLogLine> ReadAsync(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = _db.RunLogLines.AsNoTracking()
            .Where(l => l.RunId == runId && l.Sequence > afterSequence)
            .OrderBy(l => l.Sequence)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var line in lines)
        {
            yield return line;
        }
    }

    public async Task<IReadOnlyList<RunLogLine>> ReadTailAsync(Guid runId, int count, CancellationToken cancellationToken)
    {
        var last = await _db.RunLogLines.AsNoTracking()
            .Where(l => l.RunId == runId)
            .OrderByDescending(l => l.Sequence)
            .Take(count)
            .ToListAsync(cancellationToken);
        last.Reverse();
        return last;
    }

    public async Task<OrchRunStatus?> GetRunStatusAsync(Guid runId, CancellationToken cancellationToken) =>
        await _db.OrchRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => (OrchRunStatus?)r.Status).FirstOrDefaultAsync(cancellationToken);
}
