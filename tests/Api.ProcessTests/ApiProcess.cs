using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// One real OrchRun service process on 127.0.0.1 (the shared <see cref="ServiceProcess"/>) with
/// its own node id, on a shared database (SQLite file or PostgreSQL), and a client whose token grants every namespace.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private ApiProcess(ServiceProcess process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
        Http = process.CreateClient(Tokens.For("process-tests", "*"), TimeSpan.FromSeconds(60));
    }

    public string NodeId { get; }

    public Uri BaseAddress => _process.BaseAddress;

    public HttpClient Http { get; }

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the service; <paramref name="settings"/> become environment variables (Worker__LeaseSeconds, ...).</summary>
    public static ApiProcess Start(DatabaseProvider provider, string connectionString, string nodeId, int port, IReadOnlyDictionary<string, string> settings)
    {
        var environment = ServiceLaunch.ProductionSettings(string.Empty);
        environment["Database__Provider"] = provider.ToString();
        environment["ConnectionStrings__OrchRun"] = connectionString;
        environment["Worker__NodeId"] = nodeId;
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return new ApiProcess(ServiceProcess.Start(new ServiceLaunch { Environment = environment, Port = port }), nodeId);
    }

    /// <summary>Waits until /health/ready answers 200; fails early if the process exits.</summary>
    public Task WaitReadyAsync(TimeSpan timeout) => _process.WaitUntilReadyAsync(timeout);

    /// <summary>kill -9 of the whole process tree: no shutdown code runs.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>SIGTERM, as an orchestrator stops a container; waits for the process to exit and returns its exit code.</summary>
    public Task<int> StopGracefullyAsync(TimeSpan timeout) => _process.StopGracefullyAsync(timeout);

    public string OutputTail(int lines) => _process.OutputTail(lines);

    /// <summary>Everything the service wrote to stdout and stderr so far: its NLog output.</summary>
    public string Output => _process.Output;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }
}
