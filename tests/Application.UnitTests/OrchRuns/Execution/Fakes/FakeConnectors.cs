using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>Connectors by component id, as the Infrastructure catalog does.</summary>
internal sealed class FakeConnectorCatalog : IConnectorCatalog
{
    private readonly Dictionary<Guid, IConnector> _connectors;

    public FakeConnectorCatalog(params IConnector[] connectors)
    {
        _connectors = connectors.ToDictionary(c => c.ComponentId);
    }

    public IConnector? Find(Guid componentId) => _connectors.GetValueOrDefault(componentId);

    public IReadOnlyList<IConnector> All => _connectors.Values.ToList();
}

/// <summary>A connector whose step body is given by the test; counts its executions.</summary>
internal sealed class ScriptedConnector : IConnector
{
    private readonly Func<ConnectorContext, CancellationToken, Task> _body;
    private int _executions;

    public ScriptedConnector(string name, Func<ConnectorContext, CancellationToken, Task> body)
    {
        Name = name;
        _body = body;
    }

    public Guid ComponentId { get; } = Guid.NewGuid();

    public string Name { get; }

    public int Executions => Volatile.Read(ref _executions);

    /// <summary>Logs the given lines and completes.</summary>
    public static ScriptedConnector Logging(string name, params string[] lines) => new(name, (context, _) =>
    {
        foreach (var line in lines)
        {
            context.Log.Info(line);
        }

        return Task.CompletedTask;
    });

    public Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        return _body(context, cancellationToken);
    }
}

/// <summary>
/// A connector that logs a line, says it has started, and then waits for its token (or for
/// <see cref="Finish"/>): the test decides what happens while it runs.
/// </summary>
internal sealed class BlockingConnector : IConnector
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BlockingConnector(string name)
    {
        Name = name;
    }

    public Guid ComponentId { get; } = Guid.NewGuid();

    public string Name { get; }

    public Task Started => _started.Task;

    public bool SawCancellation { get; private set; }

    public void Finish() => _finish.TrySetResult();

    public async Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        context.Log.Info($"{Name} is waiting");
        _started.TrySetResult();
        try
        {
            await _finish.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SawCancellation = true;
            throw;
        }
    }
}
