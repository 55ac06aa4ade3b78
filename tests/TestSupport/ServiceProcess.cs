using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OrchRunService.TestSupport;

/// <summary>
/// The real service as a process of its own on a loopback port, as the process tests, the
/// reliability tests and the bench start it (<see cref="ServiceLaunch"/> says how). Its stdout and
/// stderr are kept in memory (the last few MB) and, when asked, in a file. <see cref="Kill"/> is
/// kill -9 of the whole process tree, <see cref="StopGracefullyAsync"/> SIGTERM; disposing kills
/// what is still running.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int OutputCharsKept = 8_000_000;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly StreamWriter? _log;

    private ServiceProcess(Process process, int port, string? logPath, StreamWriter? log)
    {
        _process = process;
        Port = port;
        LogPath = logPath;
        _log = log;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string? LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the service wrote to stdout and stderr so far (the last few MB).</summary>
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

    /// <summary>Starts the process without waiting for it; <see cref="WaitUntilReadyAsync"/> waits.</summary>
    public static ServiceProcess Start(ServiceLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (!File.Exists(launch.Dll))
        {
            throw new FileNotFoundException($"The service binary is missing; build the solution first (dotnet build OrchRun.sln). Looked for {launch.Dll}", launch.Dll);
        }

        var port = launch.Port ?? LoopbackPorts.Free();
        var info = launch.StartInfo("dotnet", [launch.Dll, .. launch.Arguments, "--urls", $"http://127.0.0.1:{port}"]);
        info.WorkingDirectory = Path.GetDirectoryName(launch.Dll)!;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in launch.Environment)
        {
            info.Environment[key] = value;
        }

        StreamWriter? log = null;
        if (launch.LogPath is { } logPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
            log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, port, launch.LogPath, log);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(ServiceLaunch launch, TimeSpan? readyWithin = null)
    {
        var service = Start(launch);
        try
        {
            await service.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(90));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client for the service whose requests carry <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string token, TimeSpan? timeout = null, int maxConnections = 256) =>
        ServiceHttp.Create(BaseAddress, token, timeout ?? TimeSpan.FromSeconds(30), maxConnections);

    /// <summary>Waits until /health/ready answers 200; fails early, with the output's tail, if the process exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it was ready:\n{OutputTail(60)}");
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
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but busy starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service was not ready within {timeout}:\n{OutputTail(60)}");
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

    /// <summary>
    /// SIGTERM, as an orchestrator stops a container: the host stops gracefully (the worker hands
    /// back its runs). Returns the exit code; kills the tree and throws when it takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The service did not stop within {timeout} of SIGTERM; killed.");
        }

        return _process.ExitCode;
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

    /// <summary>The last <paramref name="lines"/> lines of the output.</summary>
    public string OutputTail(int lines)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.TakeLast(lines + 1)).TrimEnd();
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
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            // Keep the last few MB in memory; the file, when there is one, has everything.
            if (_output.Length > OutputCharsKept)
            {
                _output.Remove(0, OutputCharsKept / 2);
            }

            _output.AppendLine(line);
            try
            {
                _log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
