using Microsoft.EntityFrameworkCore;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.TestSupport;

/// <summary>
/// Direct writes to the API's database for states the API alone cannot reach while the worker is
/// off (a finished run, a run created on another day) and reads of tables it does not expose.
/// </summary>
public static class DatabaseBackdoor
{
    public static Task SetRunStatusAsync(this OrchRunApiFactory factory, string runId, OrchRunStatus status)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Guid.Parse(runId);
        return factory.WithDbAsync(async db =>
        {
            var updated = await db.OrchRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status));
            if (updated != 1)
            {
                throw new InvalidOperationException($"run {runId} not found in the database");
            }
        });
    }

    public static Task SetRunCreatedAtAsync(this OrchRunApiFactory factory, string runId, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Guid.Parse(runId);
        return factory.WithDbAsync(async db =>
        {
            var updated = await db.OrchRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, createdAt));
            if (updated != 1)
            {
                throw new InvalidOperationException($"run {runId} not found in the database");
            }
        });
    }

    /// <summary>Writes log lines as the worker would: sequence from 1, the last one <c>end</c> when <paramref name="lastIsEnd"/>.</summary>
    public static Task AddLogLinesAsync(this OrchRunApiFactory factory, string runId, IReadOnlyList<(RunLogLevel Level, string Message)> lines, bool lastIsEnd)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(lines);
        var id = Guid.Parse(runId);
        var start = new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero);
        return factory.WithDbAsync(async db =>
        {
            for (var i = 0; i < lines.Count; i++)
            {
                db.RunLogLines.Add(new RunLogLine(id, i + 1, start.AddMilliseconds(i), lines[i].Level, lines[i].Message, lastIsEnd && i == lines.Count - 1));
            }

            await db.SaveChangesAsync();
        });
    }

    public static Task<int> CountRunRowsAsync(this OrchRunApiFactory factory, string runId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Guid.Parse(runId);
        return factory.WithDbAsync(db => db.OrchRuns.CountAsync(r => r.Id == id));
    }

    public static Task<int> CountStepRowsAsync(this OrchRunApiFactory factory, string runId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Guid.Parse(runId);
        return factory.WithDbAsync(db => db.Set<OrchRunStep>().CountAsync(s => s.RunId == id));
    }

    public static Task<int> CountLogLineRowsAsync(this OrchRunApiFactory factory, string runId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Guid.Parse(runId);
        return factory.WithDbAsync(db => db.RunLogLines.CountAsync(l => l.RunId == id));
    }
}
