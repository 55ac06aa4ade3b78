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

    public async IAsyncEnumerable<RunLogLine> ReadAsync(Guid runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = _db.RunLogLines.AsNoTracking()
            .Where(l => l.RunId == runId)
            .OrderBy(l => l.Sequence)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var line in lines)
        {
            yield return line;
        }
    }
}
