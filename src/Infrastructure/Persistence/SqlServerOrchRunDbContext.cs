using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The production database.</summary>
public sealed class SqlServerOrchRunDbContext : OrchRunDbContext
{
    /// <summary>Serialises admissions per namespace; other namespaces are not held up.</summary>
    public const string AdmissionLockSql =
        "DECLARE @result int; " +
        "EXEC @result = sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 30000; " +
        "IF @result < 0 THROW 51000, 'Timed out waiting for the queue admission lock.', 1;";

    /// <summary>
    /// The oldest queued runs, up to @max, update-locked; READPAST skips rows other workers are
    /// claiming, so claims never wait on each other and never take the same run.
    /// </summary>
    public const string ClaimCandidatesSql =
        "SELECT TOP (@max) [Id] AS [Value] FROM [OrchRuns] WITH (UPDLOCK, READPAST, ROWLOCK) " +
        "WHERE [Status] = 1 ORDER BY [CreatedAt], [Id]";

    public SqlServerOrchRunDbContext(DbContextOptions<SqlServerOrchRunDbContext> options)
        : base(options)
    {
    }

    public override async Task BeginQueueAdmissionAsync(string @namespace, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await Database.ExecuteSqlRawAsync(
            AdmissionLockSql,
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
