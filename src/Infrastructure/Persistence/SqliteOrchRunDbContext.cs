using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The embedded default: one SQLite file, in WAL mode.</summary>
public sealed class SqliteOrchRunDbContext : OrchRunDbContext
{
    public SqliteOrchRunDbContext(DbContextOptions<SqliteOrchRunDbContext> options)
        : base(options)
    {
    }

    /// <summary>
    /// Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE, which takes the database's
    /// write lock at once: namespace transactions (and every other writer) queue behind each other.
    /// </summary>
    public override async Task BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken) =>
        await Database.BeginTransactionAsync(cancellationToken);

    /// <summary>BEGIN IMMEDIATE holds the write lock, so the oldest queued runs stay ours until commit.</summary>
    public override async Task<IReadOnlyList<Guid>> BeginClaimOfQueuedRunsAsync(int max, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(cancellationToken);
        return await OrchRuns
            .Where(r => r.Status == Domain.OrchRuns.OrchRunStatus.Queued)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => r.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Reads OrchRunStatusCounts, which triggers keep in step with OrchRuns (migration RunStatusCounts).</summary>
    public override async Task<long?> CountRunsAsync(string @namespace, IReadOnlyCollection<OrchRunStatus> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var statusFilter = statuses.Count == 0
            ? string.Empty
            : $" AND \"Status\" IN ({string.Join(", ", statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))})";
#pragma warning disable EF1002 // Only integer status codes are inlined; the namespace is a parameter.
        return await Database
            .SqlQueryRaw<long>($"SELECT COALESCE(SUM(\"Count\"), 0) AS \"Value\" FROM \"OrchRunStatusCounts\" WHERE \"Namespace\" = {{0}}{statusFilter}", @namespace)
            .SingleAsync(cancellationToken);
#pragma warning restore EF1002
    }
}

/// <summary>Lets dotnet-ef build the SQLite model without starting the host.</summary>
internal sealed class SqliteOrchRunDbContextFactory : IDesignTimeDbContextFactory<SqliteOrchRunDbContext>
{
    public SqliteOrchRunDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOrchRunDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
