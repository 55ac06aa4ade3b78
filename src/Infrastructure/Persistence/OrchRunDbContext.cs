using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Secrets;
using OrchRunService.Domain.Schedules;
using OrchRunService.Infrastructure.Persistence.Configurations;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers. Each provider has its own subclass, so each keeps its own
/// migrations and the few statements EF cannot express portably (namespace lock, claims).
/// </summary>
public abstract class OrchRunDbContext : DbContext, IDataProtectionKeyContext
{
    public const string VersionProperty = "Version";

    protected OrchRunDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<OrchRun> OrchRuns => Set<OrchRun>();

    public DbSet<Orchestrator> Orchestrators => Set<Orchestrator>();

    public DbSet<RunLogLine> RunLogLines => Set<RunLogLine>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Secret> Secrets => Set<Secret>();

    /// <summary>The Data Protection key ring that encrypts secrets, shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Schedule> Schedules => Set<Schedule>();

    public DbSet<ScheduleFire> ScheduleFires => Set<ScheduleFire>();

    internal DbSet<ServiceLease> ServiceLeases => Set<ServiceLease>();

    /// <summary>
    /// Opens the transaction in which a namespace's queued runs are counted and a run inserted;
    /// concurrent transactions on one namespace must wait for each other.
    /// </summary>
    public abstract Task BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the claim transaction and returns the ids of the oldest QUEUED runs, up to
    /// <paramref name="max"/>, oldest first (creation, then id), locked so that no other worker
    /// can take them (empty when the queue is empty).
    /// </summary>
    public abstract Task<IReadOnlyList<Guid>> BeginClaimOfQueuedRunsAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// A namespace's runs of the given statuses (all statuses when empty) from a maintained
    /// count, or null where the provider keeps none (the caller then counts the rows).
    /// </summary>
    public virtual Task<long?> CountRunsAsync(string @namespace, IReadOnlyCollection<OrchRunStatus> statuses, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    /// <summary>
    /// Opens the transaction of a write made under a worker's claim (a log append) and says
    /// whether that node's attempt still holds the run; the run row cannot change hands before
    /// the transaction ends. Serializable here: the check and the insert see the same run row.
    /// </summary>
    public virtual async Task<bool> BeginClaimedRunWriteAsync(Guid runId, string nodeId, int attempt, CancellationToken cancellationToken)
    {
        await Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        return await OrchRuns.AnyAsync(r => r.Id == runId && r.NodeId == nodeId && r.Attempt == attempt, cancellationToken);
    }

    /// <summary>
    /// Applies the pending migrations and returns how many there were. EF Core's own migration
    /// lock serialises nodes that migrate at once on SQLite and SQL Server.
    /// </summary>
    public virtual async Task<int> ApplyMigrationsAsync(CancellationToken cancellationToken)
    {
        var pending = (await Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await Database.MigrateAsync(cancellationToken);
        return pending;
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpRunVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpRunVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrchRunDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Stored as UTC date-times: comparable and orderable in SQL on both providers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<StepParameters>().HaveConversion<StepParametersConverter>();
    }

    /// <summary>
    /// Every change of a run, or of one of its steps, bumps the run's version, the optimistic
    /// concurrency token that makes a worker's write and an API cancel or delete of the same run
    /// exclude each other. A step's change alone (its run's fields unchanged, as when the clock
    /// has not moved since the last write) still checks and bumps the run's version.
    /// </summary>
    private void BumpRunVersions()
    {
        ChangeTracker.DetectChanges();
        var runsWithChangedSteps = ChangeTracker.Entries<OrchRunStep>()
            .Where(e => e.State == EntityState.Modified)
            .Select(e => e.Entity.RunId)
            .ToHashSet();
        foreach (var entry in ChangeTracker.Entries<OrchRun>())
        {
            if (entry.State == EntityState.Modified
                || (entry.State == EntityState.Unchanged && runsWithChangedSteps.Contains(entry.Entity.Id)))
            {
                var version = entry.Property<int>(VersionProperty);
                version.CurrentValue = version.OriginalValue + 1;
            }
        }
    }
}
