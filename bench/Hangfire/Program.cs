using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Hangfire;

/// <summary>
/// The Hangfire peer of bench/run.sh: Hangfire.Core with Hangfire.Storage.SQLite on SQLite files
/// beside the service's, enqueueing and executing no-op jobs in this one process (client and
/// server, as the service's API and worker share one). Prints nothing but progress; writes its
/// figures as JSON to --out. Two verbs:
/// <para><c>sweep --dir D --jobs 1000 --enqueuers 1,8 --poll-ms 50,100,1000 --workers 8,10 --warm-jobs 1000 --warm-bursts 6 --out F</c>:
/// warms up once, then one measured burst per configuration, each on its own fresh file and storage.</para>
/// <para><c>[single] --db F --jobs 2000 --clients 8 --workers 8 --poll-ms 50 --lowload 200 --gap-ms 20 --warm-jobs 1000 --warm-bursts 6 --settle-ms 5000 --out F</c>:
/// one configuration as the service is measured: warm-up, idle RSS, low load, a burst, idle RSS after it.</para>
/// </summary>
internal static class HangfirePeer
{
    public static async Task<int> Main(string[] args)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        var o = Options.Parse(args);
        return o.Verb == "sweep" ? await SweepAsync(o) : await SingleAsync(o);
    }

    /// <summary>
    /// Every configuration in turn, in this one process warmed once by the runner's JIT-idle rule:
    /// a fresh file and storage each, a priming burst (the server's start-up), then one measured burst.
    /// </summary>
    private static async Task<int> SweepAsync(Options o)
    {
        Directory.CreateDirectory(o.Dir);
        var configurations = (
            from enqueuers in o.EnqueuerCounts
            from poll in o.PollIntervals
            from workers in o.WorkerCounts
            select new PeerConfiguration(enqueuers, poll, workers)).ToList();

        var warmConfiguration = new PeerConfiguration(o.EnqueuerCounts.Max(), o.PollIntervals.Min(), o.WorkerCounts.Max());
        int warmBursts;
        bool jitIdle;
        using (var warm = PeerInstance.Start(warmConfiguration, Path.Combine(o.Dir, "hangfire-warm.db")))
        {
            (warmBursts, jitIdle) = await WarmUpAsync(warm, o);
        }

        var measured = new List<Dictionary<string, object>>();
        string journalMode = "?";
        long synchronous = -1;
        foreach (var configuration in configurations)
        {
            using var peer = PeerInstance.Start(configuration, Path.Combine(o.Dir, $"hangfire-{configuration.Key}.db"));
            await RunBatchAsync(peer, Math.Min(50, o.Jobs), configuration.Enqueuers);
            NoopJob.TakeLatenciesMs();
            var (seconds, enqueueSeconds) = await RunBatchAsync(peer, o.Jobs, configuration.Enqueuers);
            var latencies = NoopJob.TakeLatenciesMs();
            journalMode = peer.Options.JournalMode.ToString();
            synchronous = Synchronous(peer.Db);
            measured.Add(new Dictionary<string, object>
            {
                ["key"] = configuration.Key,
                ["enqueuers"] = configuration.Enqueuers,
                ["queuePollIntervalMs"] = configuration.PollMs,
                ["workers"] = configuration.Workers,
                ["jobs"] = o.Jobs,
                ["seconds"] = seconds,
                ["jobsPerSecond"] = o.Jobs / seconds,
                ["enqueueSeconds"] = enqueueSeconds,
                ["enqueuesPerSecond"] = o.Jobs / enqueueSeconds,
                ["burstStartP50Ms"] = Median(latencies),
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hangfire sweep {configuration.Key}: {o.Jobs / seconds:0.0} jobs/s, {o.Jobs / enqueueSeconds:0.0} enqueues/s"));
        }

        var result = new Dictionary<string, object>
        {
            ["configurations"] = measured,
            ["journalMode"] = journalMode,
            ["synchronous"] = synchronous,
            ["hangfireVersion"] = HangfireVersion,
            ["warmBursts"] = warmBursts,
            ["warmJitIdle"] = jitIdle,
            ["warmConfiguration"] = warmConfiguration.Key,
        };
        await File.WriteAllTextAsync(o.Out, JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>One configuration, measured as the runner measures the service.</summary>
    private static async Task<int> SingleAsync(Options o)
    {
        var startupRss = RssBytes();
        var configuration = new PeerConfiguration(o.Clients, o.PollMs, o.Workers);
        using var peer = PeerInstance.Start(configuration, o.Db);

        var (warmBursts, jitIdle) = await WarmUpAsync(peer, o);
        NoopJob.Reset();
        await Task.Delay(1000);
        var idleRss = RssBytes();

        // Low load: one job at a time, a gap between them.
        var baseline = NoopJob.Runs;
        for (var i = 0; i < o.LowLoad; i++)
        {
            peer.Client.Enqueue(() => NoopJob.Run(Stopwatch.GetTimestamp()));
            await Task.Delay(o.GapMs);
        }

        await WaitSucceededAsync(peer, baseline + o.LowLoad, TimeSpan.FromMinutes(5));
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
        var (seconds, enqueueSeconds) = await RunBatchAsync(peer, o.Jobs, o.Clients);
        await stopSampling.CancelAsync();
        await sampler;
        var burst = NoopJob.TakeLatenciesMs();

        // Idle after the load, as the runner samples the service: a settle, then the median of 10 samples 100 ms apart.
        await Task.Delay(o.SettleMs);
        var afterLoad = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            afterLoad.Add(RssBytes());
            await Task.Delay(100);
        }

        var result = new Dictionary<string, object>
        {
            ["jobs"] = o.Jobs,
            ["seconds"] = seconds,
            ["jobsPerSecond"] = o.Jobs / seconds,
            ["enqueueSeconds"] = enqueueSeconds,
            ["enqueuesPerSecond"] = o.Jobs / enqueueSeconds,
            ["workers"] = o.Workers,
            ["clients"] = o.Clients,
            ["queuePollIntervalMs"] = peer.Options.QueuePollInterval.TotalMilliseconds,
            ["journalMode"] = peer.Options.JournalMode.ToString(),
            ["lowLoadLatencyMs"] = low,
            ["burstLatencyMs"] = burst,
            ["startupRssBytes"] = startupRss,
            ["idleRssBytes"] = idleRss,
            ["idleRssAfterLoadBytes"] = afterLoad.Order().ElementAt(afterLoad.Count / 2),
            ["settleMs"] = o.SettleMs,
            ["peakRssBytes"] = Math.Max(peak, RssBytes()),
            ["synchronous"] = Synchronous(o.Db),
            ["hangfireVersion"] = HangfireVersion,
            ["warmBursts"] = warmBursts,
            ["warmJitIdle"] = jitIdle,
        };
        await File.WriteAllTextAsync(o.Out, JsonSerializer.Serialize(result));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hangfire ({configuration.Key}): {o.Jobs} jobs in {seconds:0.00} s = {o.Jobs / seconds:0.0} jobs/s"));
        return 0;
    }

    private static string HangfireVersion => typeof(BackgroundJob).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>
    /// The runner's rule for the service: bursts until one passes with the JIT's tiered compilation
    /// idle, so the figures are of optimised code, not of its tier-up.
    /// </summary>
    private static async Task<(int Bursts, bool JitIdle)> WarmUpAsync(PeerInstance peer, Options o)
    {
        var warmBursts = 0;
        bool jitIdle;
        do
        {
            var jitBefore = TieredCompilation.Ticks(Environment.ProcessId);
            var (warmSeconds, _) = await RunBatchAsync(peer, o.WarmJobs, peer.Configuration.Enqueuers);
            jitIdle = TieredCompilation.WasIdle(TieredCompilation.Ticks(Environment.ProcessId) - jitBefore, TimeSpan.FromSeconds(warmSeconds));
            warmBursts++;
        }
        while (warmBursts < TieredCompilation.MinWarmBursts(o.WarmBursts) || (!jitIdle && warmBursts < o.WarmBursts));
        return (warmBursts, jitIdle);
    }

    private static async Task<(double Seconds, double EnqueueSeconds)> RunBatchAsync(PeerInstance peer, int jobs, int enqueuers)
    {
        var baseline = NoopJob.Runs;
        var next = 0;
        var start = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, enqueuers).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                peer.Client.Enqueue(() => NoopJob.Run(Stopwatch.GetTimestamp()));
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await WaitSucceededAsync(peer, baseline + jobs, TimeSpan.FromMinutes(10));
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, enqueueSeconds);
    }

    /// <summary>
    /// Until <paramref name="runs"/> jobs have run and every job of the storage is Succeeded. The
    /// in-memory count is watched first (free), so the storage is queried only near the end and the
    /// polling costs the peer next to nothing on its core.
    /// </summary>
    private static async Task WaitSucceededAsync(PeerInstance peer, long runs, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (NoopJob.Runs < runs || peer.Monitoring.SucceededListCount() < NoopJob.Runs - peer.StartedAtRuns)
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Hangfire: {peer.Monitoring.SucceededListCount()} jobs succeeded, {NoopJob.Runs} ran, {runs} awaited after {limit}");
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

    private static double Median(double[] values) => values.Length == 0 ? double.NaN : values.Order().ElementAt(values.Length / 2);

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
}

/// <summary>The no-op job: counts its runs and notes when each started relative to its enqueue (same process, same clock).</summary>
public static class NoopJob
{
    private static ConcurrentQueue<double> _latencies = new();
    private static long _runs;

    /// <summary>Jobs run since the process started.</summary>
    public static long Runs => Interlocked.Read(ref _runs);

    public static void Run(long enqueuedAt)
    {
        _latencies.Enqueue(Stopwatch.GetElapsedTime(enqueuedAt).TotalMilliseconds);
        Interlocked.Increment(ref _runs);
    }

    internal static void Reset() => _latencies = new ConcurrentQueue<double>();

    internal static double[] TakeLatenciesMs()
    {
        var taken = _latencies.ToArray();
        Reset();
        return taken;
    }
}
