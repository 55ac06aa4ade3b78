using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrchRunService.Api.Auth;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// One real OrchRun service process (<c>dotnet OrchRunService.Api.dll</c>) on 127.0.0.1, with its
/// own node id, on a shared SQLite file. Its output is kept for diagnostics.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 400;

    /// <summary>The self-hosted token settings every test process starts with (Production needs some).</summary>
    private static readonly AuthOptions Auth = new()
    {
        Issuer = "orchrun-process-tests",
        Audience = "orchrun",
        SigningKey = "orchrun-process-tests-signing-key-0123456789abcdefgh",
    };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, string nodeId, Uri baseAddress)
    {
        _process = process;
        NodeId = nodeId;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", DevelopmentTokenIssuer.Issue(Auth, "process-tests", ["*"], TimeSpan.FromHours(1)));
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string NodeId { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the service; <paramref name="settings"/> become environment variables (Worker__LeaseSeconds, ...).</summary>
    public static ApiProcess Start(string databaseFile, string nodeId, int port, IReadOnlyDictionary<string, string> settings)
    {
        var dll = ServiceBinary.Path;
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__OrchRun"] = $"Data Source={databaseFile}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Worker__NodeId"] = nodeId;
        start.Environment["Auth__Issuer"] = Auth.Issuer;
        start.Environment["Auth__Audience"] = Auth.Audience;
        start.Environment["Auth__SigningKey"] = Auth.SigningKey;
        start.Environment["RateLimit__Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        return new ApiProcess(process, nodeId, baseAddress);
    }

    /// <summary>Free TCP ports on 127.0.0.1, all held until every one is found so none repeats.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>Waits until /health/ready answers 200; fails early if the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {NodeId} exited with {_process.ExitCode} before it was ready:\n{OutputTail(60)}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Node {NodeId} was not ready within {timeout}:\n{OutputTail(60)}");
    }

    /// <summary>kill -9 of the whole process tree: no shutdown code runs.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; waits for the process to exit and returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    public string OutputTail(int lines) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            KillHard();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        await Task.Yield();
        Http.Dispose();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }
}

/// <summary>Where the service's build output is: src/Api/bin/&lt;Configuration&gt;/net10.0, else next to the tests.</summary>
internal static class ServiceBinary
{
    private const string DllName = "OrchRunService.Api.dll";

    private static readonly Lazy<string> Found = new(Find);

    public static string Path => Found.Value;

    private static string Find()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));

        // tests/Api.ProcessTests/bin/<Configuration>/<tfm>/
        var tfm = testDirectory.Name;
        var configuration = testDirectory.Parent?.Name ?? "Debug";
        for (var dir = testDirectory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OrchRun.sln")))
            {
                var built = System.IO.Path.Combine(dir.FullName, "src", "Api", "bin", configuration, tfm, DllName);
                if (File.Exists(built))
                {
                    return built;
                }

                break;
            }
        }

        var beside = System.IO.Path.Combine(testDirectory.FullName, DllName);
        return File.Exists(beside)
            ? beside
            : throw new FileNotFoundException($"{DllName} was not found; build OrchRun.sln first.", beside);
    }
}
