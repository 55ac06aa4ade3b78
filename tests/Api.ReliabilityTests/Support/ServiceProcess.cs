using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// The real service binary on a loopback port, as production runs it (Production environment,
/// self-hosted tokens with the functional tests' key, its own SQLite file, rate limiting off,
/// short leases). Its stdout and stderr are kept in memory and in a file beside the database.
/// <see cref="Kill"/> is kill -9 of the whole process tree; disposing kills what is still running.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, int port, string databasePath, string logPath, StreamWriter log)
    {
        _process = process;
        Port = port;
        DatabasePath = databasePath;
        LogPath = logPath;
        _log = log;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string DatabasePath { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the service wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The settings every test service gets; those given to <see cref="StartAsync"/> win.</summary>
    public static Dictionary<string, string> DefaultSettings(string databasePath) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Auth__SigningKey"] = OrchRunApiFactory.Auth.SigningKey!,
        ["Auth__Issuer"] = OrchRunApiFactory.Auth.Issuer!,
        ["Auth__Audience"] = OrchRunApiFactory.Auth.Audience!,
        ["ConnectionStrings__OrchRun"] = $"Data Source={databasePath}",
        ["RateLimit__Enabled"] = "false",
        ["Worker__LeaseSeconds"] = "3",
        ["Worker__PollIntervalMs"] = "200",
        ["Worker__ShutdownGraceSeconds"] = "1",
        ["Worker__LogFlushIntervalMs"] = "100",
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_NOLOGO"] = "1",
    };

    public static string NewDatabasePath(string label) =>
        Path.Combine(Path.GetTempPath(), $"orchrun-reliability-{label}-{Guid.NewGuid():N}.db");

    /// <summary>Starts the binary and waits until /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? overrides = null, int? port = null)
    {
        var dll = RepositoryPaths.ApiDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The service binary is missing; build the solution first (dotnet build OrchRun.sln). Looked for {dll}", dll);
        }

        var chosenPort = port ?? FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{chosenPort}");
        foreach (var (key, value) in DefaultSettings(databasePath))
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var logPath = databasePath + $".{DateTime.UtcNow:HHmmssfff}.log";
        var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, chosenPort, databasePath, logPath, log);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return service;
    }

    /// <summary>An HTTP client for the service whose requests carry <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string token, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>kill -9 of the process tree: no shutdown, no flush, no drain.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>Resident memory of the process in bytes (Linux /proc), or null where unavailable.</summary>
    public long? ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    /// <summary>Deletes the database files and logs of a finished test.</summary>
    public static void DeleteFiles(string databasePath)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(databasePath)!;
        foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(databasePath) + "*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is not worth failing a test for.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            // Keep the last few MB in memory; the file has everything.
            if (_output.Length > 8_000_000)
            {
                _output.Remove(0, 4_000_000);
            }

            _output.AppendLine(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it was ready:\n{Tail(Output)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service was not ready within {timeout}:\n{Tail(Output)}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
