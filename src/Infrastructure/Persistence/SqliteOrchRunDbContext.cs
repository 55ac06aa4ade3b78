using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

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
    /// write lock at once: admissions (and every other writer) queue behind each other.
    /// </summary>
    public override async Task BeginQueueAdmissionAsync(string @namespace, CancellationToken cancellationToken) =>
        await Database.BeginTransactionAsync(cancellationToken);

    /// <summary>BEGIN IMMEDIATE holds the write lock, so the oldest queued run stays ours until commit.</summary>
    public override async Task<Guid?> BeginClaimOfNextQueuedRunAsync(CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(cancellationToken);
        return await OrchRuns
            .Where(r => r.Status == Domain.OrchRuns.OrchRunStatus.Queued)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>Lets dotnet-ef build the SQLite model without starting the host.</summary>
internal sealed class SqliteOrchRunDbContextFactory : IDesignTimeDbContextFactory<SqliteOrchRunDbContext>
{
    public SqliteOrchRunDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOrchRunDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
