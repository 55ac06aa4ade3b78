using System.Diagnostics;
using System.Globalization;

namespace OrchRunService.Bench.Infra;

/// <summary>Process and machine facts read from /proc, and CPU pinning with taskset.</summary>
internal static class Machine
{
    /// <summary>Online CPUs of the machine (not of this process's affinity, which run.sh narrows to one).</summary>
    public static int Cores { get; } = OnlineCpus();

    /// <summary>With two cores or more the server gets core 0 and every load generator core 1.</summary>
    public static bool Pinning => Cores >= 2 && File.Exists("/usr/bin/taskset");

    public const string ServerCore = "0";

    public const string LoadCore = "1";

    public static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static long? MemTotalMb() => ReadKb("/proc/meminfo", "MemTotal:") / 1024;

    /// <summary>Resident set size of a process in bytes, or null once it is gone.</summary>
    public static long? RssBytes(int pid) => ReadKb($"/proc/{pid}/status", "VmRSS:") * 1024;

    /// <summary>Peak resident set size (high-water mark) of a process in bytes.</summary>
    public static long? PeakRssBytes(int pid) => ReadKb($"/proc/{pid}/status", "VmHWM:") * 1024;

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Runs a command to its end and returns its standard output (empty on failure).</summary>
    public static string Capture(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }

    /// <summary>The command line that runs <paramref name="args"/> pinned to <paramref name="core"/> when pinning is possible.</summary>
    public static ProcessStartInfo Pinned(string core, string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Pinning ? "taskset" : file) { UseShellExecute = false };
        if (Pinning)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(core);
            info.ArgumentList.Add(file);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static int OnlineCpus()
    {
        try
        {
            // "0-1" or "0,2-3"
            return File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(',').Sum(range =>
            {
                var bounds = range.Split('-').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
                return bounds.Length == 2 ? bounds[1] - bounds[0] + 1 : 1;
            });
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
    }

    private static long? ReadKb(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var digits = new string(line[key.Length..].Trim().TakeWhile(char.IsDigit).ToArray());
                    return long.Parse(digits, CultureInfo.InvariantCulture);
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
}

/// <summary>Samples a process's RSS in the background and keeps the highest value seen.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _max;
    private long _sum;
    private long _count;

    public RssSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(interval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    public long MaxBytes => Interlocked.Read(ref _max);

    public double MeanBytes => _count == 0 ? 0 : (double)_sum / _count;

    public void Sample()
    {
        if (Machine.RssBytes(_pid) is { } rss)
        {
            lock (_stop)
            {
                _max = Math.Max(_max, rss);
                _sum += rss;
                _count++;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }
}
