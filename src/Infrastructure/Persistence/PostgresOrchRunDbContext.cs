using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// The server database that several nodes share and the tests run against
/// (docs/decisions/011-postgresql-concurrency.md).
/// </summary>
public sealed class PostgresOrchRunDbContext : OrchRunDbContext
{
    /// <summary>
    /// Serialises the writers of one namespace until the transaction ends; other namespaces are not
    /// held up. Two namespaces whose names hash alike only wait for each other.
    /// </summary>
    public const string NamespaceLockSql = "SELECT pg_advisory_xact_lock(hashtextextended('orchrun-queue:' || @namespace, 0))";

    /// <summary>
    /// Takes the oldest queued runs, up to @max, in one statement: SKIP LOCKED passes over rows
    /// another worker, a cancel or a delete holds, and the chosen rows stay locked until the
    /// claim commits. The write leaves the row as it was: the domain's claim transition is saved
    /// in the same transaction, on rows this transaction already holds. RETURNING has no order.
    /// </summary>
    public const string ClaimCandidatesSql =
        "UPDATE \"OrchRuns\" SET \"Version\" = \"Version\" WHERE \"Id\" IN (" +
        "SELECT \"Id\" FROM \"OrchRuns\" WHERE \"Status\" = 1 ORDER BY \"CreatedAt\", \"Id\" " +
        "LIMIT @max FOR UPDATE SKIP LOCKED) RETURNING \"Id\" AS \"Value\"";

    /// <summary>
    /// Locks the kept counts of the claimed runs' namespaces in one order, (namespace, status),
    /// before the claim's saves move them: the count triggers then never take them in
    /// opposite orders in two claims over the same namespaces (a deadlock).
    /// </summary>
    public const string LockCountsSql =
        "SELECT 1 AS \"Value\" FROM \"OrchRunStatusCounts\" WHERE \"Namespace\" IN (" +
        "SELECT \"Namespace\" FROM \"OrchRuns\" WHERE \"Id\" = ANY(@ids)) " +
        "ORDER BY \"Namespace\", \"Status\" FOR UPDATE";

    /// <summary>A namespace's kept count over some statuses (all of them when @statuses is empty).</summary>
    public const string CountSql =
        "SELECT COALESCE(SUM(\"Count\"), 0)::bigint AS \"Value\" FROM \"OrchRunStatusCounts\" " +
        "WHERE \"Namespace\" = @namespace AND (cardinality(@statuses) = 0 OR \"Status\" = ANY(@statuses))";

    /// <summary>
    /// The run row, shared-locked until the transaction ends when this node's attempt still holds
    /// it: a recovery, cancel or delete waits for the log append instead of racing it.
    /// </summary>
    public const string HeldRunSql =
        "SELECT 1 AS \"Value\" FROM \"OrchRuns\" WHERE \"Id\" = @id AND \"NodeId\" = @node AND \"Attempt\" = @attempt FOR SHARE";

    /// <summary>
    /// Byte order, as SQL Server's binary collation: namespaces, users and keys compare and sort
    /// by code point whatever locale the cluster was created with.
    /// </summary>
    public const string BinaryCollation = "C";

    /// <summary>
    /// Held by the node that migrates, for its session: EF Core's lock on this provider did not
    /// keep three nodes migrating an empty database at once from creating the same table twice.
    /// </summary>
    public const string MigrationLockSql = "SELECT pg_advisory_lock(hashtextextended('orchrun-migrations', 0))";

    public const string MigrationUnlockSql = "SELECT pg_advisory_unlock(hashtextextended('orchrun-migrations', 0))";

    public PostgresOrchRunDbContext(DbContextOptions<PostgresOrchRunDbContext> options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<OrchRun>().Property(r => r.Namespace).UseCollation(BinaryCollation);
        modelBuilder.Entity<Orchestrator>().Property(o => o.Namespace).UseCollation(BinaryCollation);
        modelBuilder.Entity<IdempotencyRecord>(r =>
        {
            r.Property(k => k.Namespace).UseCollation(BinaryCollation);
            r.Property(k => k.UserId).UseCollation(BinaryCollation);
            r.Property(k => k.Key).UseCollation(BinaryCollation);
        });
        modelBuilder.Entity<Secret>(s =>
        {
            s.Property(k => k.Namespace).UseCollation(BinaryCollation);
            s.Property(k => k.Name).UseCollation(BinaryCollation);
        });
        modelBuilder.Entity<Schedule>().Property(s => s.Namespace).UseCollation(BinaryCollation);
        modelBuilder.Entity<ServiceLease>(l =>
        {
            l.Property(k => k.Name).UseCollation(BinaryCollation);
            l.Property(k => k.Holder).UseCollation(BinaryCollation);
        });
    }

    /// <summary>
    /// Creates the database when missing (a node that loses the race to create it goes on),
    /// then migrates under <see cref="MigrationLockSql"/>, counting what is pending once it holds the lock.
    /// </summary>
    public override async Task<int> ApplyMigrationsAsync(CancellationToken cancellationToken)
    {
        var creator = this.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                // Another node created it meanwhile.
            }
        }

        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await Database.ExecuteSqlRawAsync(MigrationLockSql, cancellationToken);
            try
            {
                return await base.ApplyMigrationsAsync(cancellationToken);
            }
            finally
            {
                await Database.ExecuteSqlRawAsync(MigrationUnlockSql, CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    public override async Task BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await Database.ExecuteSqlRawAsync(
            NamespaceLockSql,
            [new NpgsqlParameter("namespace", NpgsqlDbType.Text) { Value = @namespace }],
            cancellationToken);
    }

    public override async Task<IReadOnlyList<Guid>> BeginClaimOfQueuedRunsAsync(int max, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var ids = await Database
            .SqlQueryRaw<Guid>(ClaimCandidatesSql, new NpgsqlParameter("max", NpgsqlDbType.Integer) { Value = max })
            .ToListAsync(cancellationToken);
        if (ids.Count > 0)
        {
            await Database
                .SqlQueryRaw<int>(LockCountsSql, new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() })
                .ToListAsync(cancellationToken);
        }

        return ids;
    }

    /// <summary>Reads OrchRunStatusCounts, which triggers keep in step with OrchRuns (migration RunStatusCounts).</summary>
    public override async Task<long?> CountRunsAsync(string @namespace, IReadOnlyCollection<OrchRunStatus> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return await Database
            .SqlQueryRaw<long>(
                CountSql,
                new NpgsqlParameter("namespace", NpgsqlDbType.Text) { Value = @namespace },
                new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = statuses.Select(s => (int)s).ToArray() })
            .SingleAsync(cancellationToken);
    }

    /// <summary>Read committed and a shared row lock instead of serializable, which PostgreSQL would answer with retryable serialization failures.</summary>
    public override async Task<bool> BeginClaimedRunWriteAsync(Guid runId, string nodeId, int attempt, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var held = await Database
            .SqlQueryRaw<int>(
                HeldRunSql,
                new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = runId },
                new NpgsqlParameter("node", NpgsqlDbType.Text) { Value = nodeId },
                new NpgsqlParameter("attempt", NpgsqlDbType.Integer) { Value = attempt })
            .ToListAsync(cancellationToken);
        return held.Count > 0;
    }
}

/// <summary>Lets dotnet-ef build the PostgreSQL model and migrations without a server.</summary>
internal sealed class PostgresOrchRunDbContextFactory : IDesignTimeDbContextFactory<PostgresOrchRunDbContext>
{
    public PostgresOrchRunDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOrchRunDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=orchrun_design_time;Username=postgres")
            .Options);
}
