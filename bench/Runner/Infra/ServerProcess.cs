using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace OrchRunService.Bench.Infra;

/// <summary>
/// The service (Release build, its real Program) in a child process pinned to the server core,
/// on 127.0.0.1, configured as outside Development: self-hosted JWT settings, rate limiting off,
/// the SQLite file given. Its stdout (the NLog JSON lines) goes to a log file.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string Issuer = "orchrun-bench";
    public const string Audience = "orchrun";

    // One key per bench run: tokens minted for it are worthless afterwards.
    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    public static string BenchDll => Path.Combine(AppContext.BaseDirectory, "OrchRunService.Bench.dll");

    /// <summary>The service's environment: production-like, with the bench's own token settings.</summary>
    public static Dictionary<string, string> Environment(string dbPath) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Auth__SigningKey"] = SigningKey,
        ["Auth__Issuer"] = Issuer,
        ["Auth__Audience"] = Audience,
        ["RateLimit__Enabled"] = "false",
        ["ConnectionStrings__OrchRun"] = $"Data Source={dbPath}",
        // 2,000 runs are created faster than 8 workers finish them: the queued-run limit (20 by
        // default, a 429 with Retry-After beyond) would measure the client's back-off, not the service.
        ["Runs__MaxQueuedPerNamespace"] = "1000000",
        ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = "OrchRunService.Bench",
    };

    public static async Task<ServerProcess> StartAsync(string dbPath, string logPath, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = FreePort();
        var info = Machine.Pinned(Machine.ServerCore, "dotnet", [BenchDll, "serve", "--urls", $"http://127.0.0.1:{port}"]);
        info.WorkingDirectory = AppContext.BaseDirectory;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in Environment(dbPath))
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, port);
        await server.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    /// <summary>Mints a token with the service's own <c>token</c> verb and the same settings.</summary>
    public static string MintToken(string dbPath)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var a in new[] { BenchDll, "serve", "token", "--user", "bench", "--namespace", "*", "--hours", "12" })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in Environment(dbPath))
        {
            info.Environment[key] = value;
        }

        info.Environment.Remove("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES");

        // The token verb only runs in Development; the bench's own key (set above) still signs.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var p = Process.Start(info)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        p.WaitForExit();
        if (p.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"token verb failed ({p.ExitCode}): {string.Join(" | ", lines)}");
        }

        return lines[^1];
    }

    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // SIGTERM: the host stops gracefully (the worker hands back runs, SQLite checkpoints).
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode} during start-up; see its log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
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

        throw new TimeoutException("the service did not become ready");
    }
}
