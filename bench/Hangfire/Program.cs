using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage.SQLite;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Hangfire;

/// <summary>
/// The Hangfire peer of bench/run.sh: Hangfire.Core with Hangfire.Storage.SQLite on a SQLite file
/// beside the service's, enqueueing and executing no-op jobs in this one process (client and
/// server, as the service's API and worker share one). Prints nothing but progress; writes its
/// figures as JSON to --out.
/// <c>--db F --jobs 2000 --clients 8 --workers 8 --poll-ms 50 --lowload 200 --gap-ms 20 --warm-jobs 1000 --warm-bursts 6 --out F</c>
/// </summary>
internal static class HangfirePeer
{
    public static async Task<int> Main(string[] args)
    {
        var o = Options.Parse(args);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(o.Db + suffix);
        }

        var storageOptions = new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(o.PollMs) };
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(o.Db, storageOptions);
        var monitoring = JobStorage.Current.GetMonitoringApi();
        var client = new BackgroundJobClient();
        var startupRss = RssBytes();

        using var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = o.Workers,
            ServerName = "bench",
        });

        // Warm-up, by the runner's rule for the service: bursts until one passes with the JIT's
        // tiered compilation idle, so the figures are of optimised code, not of its tier-up.
        var warmBursts = 0;
        bool jitIdle;
        do
        {
            var jitBefore = TieredCompilation.Ticks(Environment.ProcessId);
            var (warmSeconds, _) = await RunBatchAsync(client, monitoring, o.WarmJobs, o.Clients);
            jitIdle = TieredCompilation.WasIdle(TieredCompilation.Ticks(Environment.ProcessId) - jitBefore, TimeSpan.FromSeconds(warmSeconds));
            warmBursts++;
        }
        while (warmBursts < TieredCompilation.MinWarmBursts(o.WarmBursts) || (!jitIdle && warmBursts < o.WarmBursts));
        NoopJob.Reset();
        await Task.Delay(1000);
        var idleRss = RssBytes();

        // Low load: one job at a time, a gap between them.
        var baseline = monitoring.SucceededListCount();
        for (var i = 0; i < o.LowLoad; i++)
        {
            client.Enqueue(() => NoopJob.Run(Stopwatch.GetTimestamp()));
            await Task.Delay(o.GapMs);
        }

        await WaitSucceededAsync(monitoring, baseline + o.LowLoad, TimeSpan.FromMinutes(5));
        var low = NoopJob.TakeLatenciesMs();

        // Throughput: the jobs enqueued by --clients concurrent tasks, timed until all have succeeded.
        var peak = 0L;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssBytes());
                try
                {
                    await Task.Delay(50, stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
        var (seconds, enqueueSeconds) = await RunBatchAsync(client, monitoring, o.Jobs, o.Clients);
        await stopSampling.CancelAsync();
        await sampler;
        var burst = NoopJob.TakeLatenciesMs();

        var result = new Dictionary<string, object>
        {
            ["jobs"] = o.Jobs,
            ["seconds"] = seconds,
            ["jobsPerSecond"] = o.Jobs / seconds,
            ["enqueueSeconds"] = enqueueSeconds,
            ["workers"] = o.Workers,
            ["clients"] = o.Clients,
            ["queuePollIntervalMs"] = storageOptions.QueuePollInterval.TotalMilliseconds,
            ["journalMode"] = storageOptions.JournalMode.ToString(),
            ["lowLoadLatencyMs"] = low,
            ["burstLatencyMs"] = burst,
            ["startupRssBytes"] = startupRss,
            ["idleRssBytes"] = idleRss,
            ["peakRssBytes"] = Math.Max(peak, RssBytes()),
            ["synchronous"] = Synchronous(o.Db),
            ["hangfireVersion"] = typeof(BackgroundJob).Assembly.GetName().Version?.ToString() ?? "?",
            ["warmBursts"] = warmBursts,
            ["warmJitIdle"] = jitIdle,
        };
        await File.WriteAllTextAsync(o.Out, JsonSerializer.Serialize(result));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hangfire: {o.Jobs} jobs in {seconds:0.00} s = {o.Jobs / seconds:0.0} jobs/s"));
        return 0;
    }

    private static async Task<(double Seconds, double EnqueueSeconds)> RunBatchAsync(BackgroundJobClient client, global::Hangfire.Storage.IMonitoringApi monitoring, int jobs, int clients)
    {
        var baseline = monitoring.SucceededListCount();
        var next = 0;
        var start = Stopwatch.GetTimestamp();
        var enqueuers = Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                client.Enqueue(() => NoopJob.Run(Stopwatch.GetTimestamp()));
            }
        })).ToArray();
        await Task.WhenAll(enqueuers);
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await WaitSucceededAsync(monitoring, baseline + jobs, TimeSpan.FromMinutes(10));
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, enqueueSeconds);
    }

    private static async Task WaitSucceededAsync(global::Hangfire.Storage.IMonitoringApi monitoring, long count, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (monitoring.SucceededListCount() < count)
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Hangfire: {monitoring.SucceededListCount()} of {count} jobs succeeded after {limit}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The synchronous setting a connection of the storage's SQLite library gets on this file.</summary>
    private static long Synchronous(string db)
    {
        using var connection = new SQLite.SQLiteConnection(db);
        return connection.ExecuteScalar<long>("PRAGMA synchronous");
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(new string(line[6..].Trim().TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private sealed record Options(string Db, int Jobs, int Clients, int Workers, int PollMs, int LowLoad, int GapMs, int WarmJobs, int WarmBursts, string Out)
    {
        public static Options Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }

            int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

            return new Options(
                Path.GetFullPath(Get("--db", "hangfire-bench.db")),
                Int("--jobs", 2000),
                Int("--clients", 8),
                Int("--workers", 8),
                Int("--poll-ms", 50),
                Int("--lowload", 200),
                Int("--gap-ms", 20),
                Int("--warm-jobs", 20),
                Int("--warm-bursts", 1),
                Path.GetFullPath(Get("--out", "hangfire-result.json")));
        }
    }
}

/// <summary>The no-op job: notes when it started relative to its enqueue (same process, same clock).</summary>
public static class NoopJob
{
    private static ConcurrentQueue<double> _latencies = new();

    public static void Run(long enqueuedAt) => _latencies.Enqueue(Stopwatch.GetElapsedTime(enqueuedAt).TotalMilliseconds);

    internal static void Reset() => _latencies = new ConcurrentQueue<double>();

    internal static double[] TakeLatenciesMs()
    {
        var taken = _latencies.ToArray();
        Reset();
        return taken;
    }
}
