using Microsoft.Extensions.Logging.Abstractions;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>
/// The worker's path for a test: <see cref="RunClaimer"/> claims in one scope, then a fresh
/// <see cref="OrchRunExecutor"/> (another scope) executes, both on the in-memory store.
/// </summary>
internal sealed class TestWorker
{
    private readonly InMemoryRunExecutionStore _store;
    private readonly TimeProvider _clock;
    private readonly RunExecutionSettings _settings;
    private readonly FakeConnectorCatalog _connectors;

    public TestWorker(InMemoryRunExecutionStore store, TimeProvider clock, RunExecutionSettings settings, params IConnector[] connectors)
        : this(store, clock, settings, new InMemorySecrets(), connectors)
    {
    }

    public TestWorker(InMemoryRunExecutionStore store, TimeProvider clock, RunExecutionSettings settings, InMemorySecrets secrets, params IConnector[] connectors)
    {
        Secrets = secrets;
        _store = store;
        _clock = clock;
        _settings = settings;
        _connectors = new FakeConnectorCatalog(connectors);
    }

    /// <summary>The secrets steps may refer to.</summary>
    public InMemorySecrets Secrets { get; }

    /// <summary>What the step runner writes to the service's log.</summary>
    public RecordingLogger<StepRunner> StepLog { get; } = new();

    public Task<IReadOnlyList<ClaimedRun>> ClaimAsync(int max = 1, string nodeId = TestRuns.NodeA) =>
        new RunClaimer(_store, _clock, _settings).ClaimAsync(nodeId, TestRuns.Lease, max, CancellationToken.None);

    public Task<RunOutcome> ExecuteAsync(ClaimedRun claimed, CancellationToken interrupt = default, CancellationToken shuttingDown = default) =>
        new OrchRunExecutor(_store, new StepRunner(_connectors, new StepSecretResolver(Secrets, Secrets, NullLogger<StepSecretResolver>.Instance), _clock, _settings, StepLog), new RunFinisher(_clock), _clock)
            .ExecuteAsync(claimed, interrupt, shuttingDown);

    /// <summary>Claims the oldest QUEUED run and executes it, as the worker does. Fails when no run is queued.</summary>
    public async Task<RunOutcome> ClaimAndExecuteAsync(CancellationToken interrupt = default, CancellationToken shuttingDown = default, string nodeId = TestRuns.NodeA)
    {
        var claimed = (await ClaimAsync(1, nodeId)).SingleOrDefault() ?? throw new InvalidOperationException("No run is queued to claim.");
        return await ExecuteAsync(claimed, interrupt, shuttingDown);
    }
}
