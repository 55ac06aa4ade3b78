using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Secrets;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The production database.</summary>
public sealed class SqlServerOrchRunDbContext : OrchRunDbContext
{
    /// <summary>Serialises the writers of one namespace; other namespaces are not held up.</summary>
    public const string NamespaceLockSql =
        "DECLARE @result int; " +
        "EXEC @result = sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 30000; " +
        "IF @result < 0 THROW 51000, 'Timed out waiting for the namespace lock.', 1;";

    /// <summary>
    /// Takes the oldest queued runs, up to @max, in one statement: the UPDATE over the TOP CTE
    /// holds each chosen row exclusively from the moment it is chosen (no shared or update lock to
    /// convert later, which is where a claim could deadlock with a cancel or delete that locked
    /// the row first); READPAST skips rows another worker, a cancel or a delete holds. The write
    /// leaves the row as it was (the version is its own value): the domain's claim transition is
    /// saved in the same transaction, on rows this transaction already holds.
    /// </summary>
    public const string ClaimCandidatesSql =
        "WITH [Candidates] AS (" +
        "SELECT TOP (@max) [Id], [Version] FROM [OrchRuns] WITH (UPDLOCK, READPAST, ROWLOCK) " +
        "WHERE [Status] = 1 ORDER BY [CreatedAt], [Id]) " +
        "UPDATE [Candidates] SET [Version] = [Version] OUTPUT [inserted].[Id] AS [Value];";

    /// <summary>
    /// Compares byte by byte: on a default case-insensitive server, nsfilter=teama would
    /// otherwise read TeamA's runs, and one user's Idempotency-Key would answer for another's.
    /// </summary>
    public const string BinaryCollation = "Latin1_General_100_BIN2";

    public SqlServerOrchRunDbContext(DbContextOptions<SqlServerOrchRunDbContext> options)
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

    public override async Task BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await Database.ExecuteSqlRawAsync(
            NamespaceLockSql,
            [new SqlParameter("@resource", SqlDbType.NVarChar, 255) { Value = "orchrun-queue:" + @namespace }],
            cancellationToken);
    }

    public override async Task<IReadOnlyList<Guid>> BeginClaimOfQueuedRunsAsync(int max, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        return await Database
            .SqlQueryRaw<Guid>(ClaimCandidatesSql, new SqlParameter("@max", SqlDbType.Int) { Value = max })
            .ToListAsync(cancellationToken);
    }
}

/// <summary>Lets dotnet-ef build the SQL Server model and migrations without a server.</summary>
internal sealed class SqlServerOrchRunDbContextFactory : IDesignTimeDbContextFactory<SqlServerOrchRunDbContext>
{
    public SqlServerOrchRunDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerOrchRunDbContext>()
            .UseSqlServer("Server=(design-time);Database=OrchRun;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
