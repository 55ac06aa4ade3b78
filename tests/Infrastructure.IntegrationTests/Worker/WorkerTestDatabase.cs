using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>
/// The real Infrastructure services (AddInfrastructure) on a temporary SQLite file or a
/// PostgreSQL database of its own, migrated as at start-up, with the worker's background
/// service left off so each test drives the pieces.
/// </summary>
internal sealed class WorkerTestDatabase : IAsyncDisposable
{
    public const string Namespace = "proj_worker_it";
    public const string TestConnectorId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

    private readonly string _folder;
    private readonly PostgresTestDatabase? _postgres;

    private WorkerTestDatabase(string folder, PostgresTestDatabase? postgres, ServiceProvider services, FakeTimeProvider clock)
    {
        _folder = folder;
        _postgres = postgres;
        Services = services;
        Clock = clock;
    }

    public ServiceProvider Services { get; }

    /// <summary>The SQLite file's folder (the PostgreSQL database's connection string lives elsewhere).</summary>
    public string Folder => _folder;

    /// <summary>Text found in the connection string of this database's connections only (the file's folder, or the database's name).</summary>
    public string ConnectionMarker => _postgres?.Name ?? _folder;

    public FakeTimeProvider Clock { get; }

    /// <param name="configure">Adds services before the provider is built (extra connectors, say).</param>
    public static async Task<WorkerTestDatabase> CreateAsync(Action<IServiceCollection>? configure = null) =>
        await CreateAsync(DatabaseProvider.Sqlite, configure);

    /// <param name="provider">SQLite, or PostgreSQL (the test is skipped, or failed on CI, when none is available).</param>
    /// <param name="configure">Adds services before the provider is built (extra connectors, say).</param>
    public static async Task<WorkerTestDatabase> CreateAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "orchrun-worker-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var postgres = provider == DatabaseProvider.Postgres ? await PostgresAvailability.CreateDatabaseAsync() : null;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = provider.ToString(),
                ["ConnectionStrings:OrchRun"] = postgres?.ConnectionString ?? $"Data Source={Path.Combine(folder, "orchrun.db")}",
                ["Worker:Enabled"] = "false",
                ["Worker:NodeId"] = "node-it",
                ["Worker:LogFlushIntervalMs"] = "50",
            })
            .Build();

        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddInfrastructure(configuration, folder);
        configure?.Invoke(services);
        var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        foreach (var hosted in serviceProvider.GetServices<IHostedService>())
        {
            // Only the database initializer is registered: the worker is disabled above.
            await hosted.StartAsync(CancellationToken.None);
        }

        return new WorkerTestDatabase(folder, postgres, serviceProvider, clock);
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    /// <summary>Stores a QUEUED run of test_connector steps created at <paramref name="createdAt"/>.</summary>
    public async Task<OrchRun> AddQueuedRunAsync(DateTimeOffset createdAt, int steps = 1, string stepParams = "{\"iterations\":0}", string? componentId = null)
    {
        var definitions = Enumerable.Range(1, steps)
            .Select(i => new OrchestratorStepDefinition(null, $"step_{i}", Guid.Parse(componentId ?? TestConnectorId), i, StepParameters.FromJson(stepParams, "_params")))
            .ToList();
        var orchestrator = Orchestrator.Create(Namespace, "it_orch", "integration", "test_instant", definitions, createdAt);
        var run = OrchRun.Create(orchestrator, [], "user-it", createdAt);
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        db.OrchRuns.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    public async Task<OrchRun?> FindAsync(Guid runId)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        return await db.OrchRuns.AsNoTracking().Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == runId);
    }

    public async Task<List<RunLogLine>> LinesAsync(Guid runId)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        return await db.RunLogLines.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Sequence).ToListAsync();
    }

    /// <summary>Changes a run as the API would, through its own context.</summary>
    public async Task ChangeAsync(Guid runId, Action<OrchRun> change)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        var run = await db.OrchRuns.Include(r => r.Steps).SingleAsync(r => r.Id == runId);
        change(run);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Claims the oldest QUEUED run for <paramref name="nodeId"/> through the domain alone: the
    /// run is RUNNING for that node, with no opening lines and no step started yet.
    /// </summary>
    public async Task<RunClaim?> ClaimWithoutOpeningAsync(string nodeId, TimeSpan lease)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        var run = await db.OrchRuns.Include(r => r.Steps)
            .Where(r => r.Status == OrchRunStatus.Queued)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .FirstOrDefaultAsync();
        if (run is null)
        {
            return null;
        }

        run.Claim(nodeId, Clock.GetUtcNow() + lease, Clock.GetUtcNow());
        await db.SaveChangesAsync();
        return new RunClaim(run.Id, nodeId, run.Attempt);
    }

    /// <summary>Claims and opens up to <paramref name="max"/> queued runs in a scope of their own, as the worker's claim loop does.</summary>
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string nodeId, TimeSpan lease, int max = 1)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<RunClaimer>().ClaimAsync(nodeId, lease, max, CancellationToken.None);
    }

    /// <summary>Executes a claimed run in a scope of its own, as the worker does.</summary>
    public async Task<RunOutcome> ExecuteAsync(ClaimedRun claimed, CancellationToken interrupt = default)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ExecuteAsync(claimed, interrupt, CancellationToken.None);
    }

    /// <summary>Claims the oldest queued run and executes it, as the worker does.</summary>
    public async Task<RunOutcome> ClaimAndExecuteAsync(string nodeId, TimeSpan lease)
    {
        var claimed = (await ClaimAsync(nodeId, lease)).SingleOrDefault() ?? throw new InvalidOperationException("No run is queued to claim.");
        return await ExecuteAsync(claimed);
    }

    public async Task DeleteAsync(Guid runId)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        var run = await db.OrchRuns.Include(r => r.Steps).SingleAsync(r => r.Id == runId);
        db.OrchRuns.Remove(run);
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
