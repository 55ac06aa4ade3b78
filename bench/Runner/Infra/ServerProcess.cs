using System.Diagnostics;
using System.Security.Cryptography;
using OrchRunService.TestSupport;

namespace OrchRunService.Bench.Infra;

/// <summary>
/// The service (Release build, its real Program) in a child process pinned to the server core,
/// on 127.0.0.1, configured as outside Development: self-hosted JWT settings, rate limiting off,
/// the SQLite file given. Its stdout (the NLog JSON lines) goes to a log file. Started by the
/// tests' shared <see cref="ServiceProcess"/>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string Issuer = "orchrun-bench";
    public const string Audience = "orchrun";

    // One key per bench run: tokens minted for it are worthless afterwards.
    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private readonly ServiceProcess _service;

    private ServerProcess(ServiceProcess service)
    {
        _service = service;
    }

    public int Port => _service.Port;

    public int Pid => _service.ProcessId;

    public Uri BaseUrl => _service.BaseAddress;

    public static string BenchDll => Path.Combine(AppContext.BaseDirectory, "OrchRunService.Bench.dll");

    /// <summary>
    /// A variant setting that names another build's bench host to run instead of this one (a
    /// baseline commit built by <c>bench/run.sh --baseline REF</c>); not passed to the service.
    /// </summary>
    public const string DllSetting = "BENCH_DLL";

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
        var environment = Environment(dbPath);
        var dll = BenchDll;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            if (key == DllSetting)
            {
                dll = value;
                continue;
            }

            environment[key] = value;
        }

        var service = await ServiceProcess.StartAsync(new ServiceLaunch
        {
            Dll = dll,
            Arguments = ["serve"],
            Environment = environment,
            LogPath = logPath,
            StartInfo = (file, args) => Machine.Pinned(Machine.ServerCore, file, args),
        });
        return new ServerProcess(service);
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
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        using var p = Process.Start(info)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        p.WaitForExit();
        if (p.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"token verb failed ({p.ExitCode}): {string.Join(" | ", lines)}");
        }

        return lines[^1];
    }

    /// <summary>SIGTERM: the host stops gracefully (the worker hands back runs, SQLite checkpoints); killed after 40 s.</summary>
    public async Task StopAsync()
    {
        if (_service.HasExited)
        {
            return;
        }

        try
        {
            await _service.StopGracefullyAsync(TimeSpan.FromSeconds(40));
        }
        catch (TimeoutException)
        {
            // The launcher killed it: a stop that hangs must not hold up the bench.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _service.DisposeAsync();
    }
}
