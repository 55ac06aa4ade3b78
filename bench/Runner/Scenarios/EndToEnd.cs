using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// Figures 3 (end to end against Hangfire) and 5 (memory). On a fresh database: no-op runs
/// (one test_connector step, iterations 0) created through the API, first one at a time
/// (create-to-RUNNING latency), then all at once from concurrent clients (runs/s until all are
/// COMPLETED). Then the Hangfire peer does the same with no-op jobs on its own fresh SQLite file
/// in the same folder, pinned to the same core.
/// </summary>
internal sealed class EndToEnd
{
    private const string WarmNamespace = "bench_warm";
    private const string LowNamespace = "bench_low";
    private const string BurstNamespace = "bench_e2e";

    private readonly BenchSettings _settings;
    private readonly BenchResults _results;

    public EndToEnd(BenchSettings settings, BenchResults results)
    {
        _settings = settings;
        _results = results;
    }

    public async Task RunAsync()
    {
        var orchRun = await RunOrchRunAsync();
        var hangfire = await RunHangfireAsync();
        if (orchRun is null || hangfire is null)
        {
            return;
        }

        _results.Add(new Figure
        {
            Name = "e2e.throughput_ratio", Group = "e2e", Title = $"end to end: OrchRun runs/s / best Hangfire configuration's jobs/s ({_settings.EndToEndRuns:N0} no-ops)",
            Value = orchRun.RunsPerSecond / hangfire.JobsPerSecond, Unit = "ratio",
            Numerator = new Side("OrchRun runs/s", orchRun.RunsPerSecond, "runs/s"),
            Denominator = new Side($"Hangfire jobs/s, best ({hangfire.Best})", hangfire.JobsPerSecond, "jobs/s"),
            Target = new Target(">=", 2.5),
        });
        _results.Add(new Figure
        {
            Name = "e2e.create_ratio", Group = "e2e", Title = $"creates/s through the API ({_settings.EndToEndClients} clients) / best Hangfire enqueues/s with its server running",
            Value = orchRun.CreatesPerSecond / hangfire.EnqueuesPerSecond, Unit = "ratio",
            Numerator = new Side("OrchRun POST /orchrun creates/s", orchRun.CreatesPerSecond, "creates/s"),
            Denominator = new Side($"Hangfire enqueues/s, best ({hangfire.BestEnqueue})", hangfire.EnqueuesPerSecond, "enqueues/s"),
            Target = new Target(">=", 1.0),
            Note = "each side's create/enqueue phase of its end-to-end burst, the workers running meanwhile",
        });
        _results.Add(new Figure
        {
            Name = "memory.idle_rss_ratio", Group = "memory", Title = "idle RSS after the end-to-end load: service / Hangfire peer",
            Value = orchRun.IdleRssAfterLoadBytes / hangfire.IdleRssAfterLoadBytes, Unit = "ratio",
            Numerator = new Side("service idle RSS after its burst", orchRun.IdleRssAfterLoadBytes / 1048576.0, "MB"),
            Denominator = new Side($"Hangfire peer idle RSS after its burst ({hangfire.Best})", hangfire.IdleRssAfterLoadBytes / 1048576.0, "MB"),
            Target = new Target("<=", 1.5),
            Note = $"each sampled {_settings.IdleSettleSeconds} s after its measured burst finished, median of 10 samples 100 ms apart",
        });
    }

    /// <summary>The service's side of the comparison.</summary>
    private sealed record OrchRunOutcome(double RunsPerSecond, double CreatesPerSecond, double IdleRssAfterLoadBytes);

    /// <summary>The peer's side: its best configuration's throughput and enqueue rate (which may be of different configurations).</summary>
    private sealed record HangfireOutcome(double JobsPerSecond, string Best, double EnqueuesPerSecond, string BestEnqueue, double IdleRssAfterLoadBytes);

    private async Task<OrchRunOutcome?> RunOrchRunAsync()
    {
        var db = Path.Combine(_settings.WorkDir, "e2e.db");
        BenchRunner.DeleteDatabase(db);
        var token = ServerProcess.MintToken(db);
        var serverLog = Path.Combine(_settings.WorkDir, "e2e-server.log");
        File.Delete(serverLog);
        await using var server = await ServerProcess.StartAsync(db, serverLog);
        var startupRss = Machine.RssBytes(server.Pid) ?? 0;
        using var api = new ApiClient(server.BaseUrl, token, _settings.EndToEndClients);

        // Warm-up: bursts like the measured one until one passes with the JIT's tiered compilation
        // idle (the Hangfire peer follows the same rule), so the figures are of optimised code.
        var warm = await api.CreateOrchestratorAsync(WarmNamespace, 0, 0);
        var warmBursts = 0;
        bool jitIdle;
        do
        {
            var jitBefore = TieredCompilation.Ticks(server.Pid);
            var burstStart = Stopwatch.GetTimestamp();
            await BurstAsync(api, WarmNamespace, warm, _settings.WarmBurstRuns);
            await WaitFinishedAsync(db, WarmNamespace, _settings.WarmBurstRuns * (warmBursts + 1), TimeSpan.FromMinutes(5));
            jitIdle = TieredCompilation.WasIdle(TieredCompilation.Ticks(server.Pid) - jitBefore, Stopwatch.GetElapsedTime(burstStart));
            warmBursts++;
        }
        while (warmBursts < TieredCompilation.MinWarmBursts(_settings.MaxWarmBursts) || (!jitIdle && warmBursts < _settings.MaxWarmBursts));
        _results.Notes.Add($"End-to-end warm-up, OrchRun: {warmBursts} burst(s) of {_settings.WarmBurstRuns:N0} runs, JIT {(jitIdle ? "idle in the last" : "still busy after the last")}.");

        await Task.Delay(2000);
        var idleRss = await MedianRssAsync(server.Pid);

        Console.WriteLine($"e2e: {_settings.LowLoadRuns} runs one at a time, {_settings.LowLoadGapMs} ms apart");
        var low = await api.CreateOrchestratorAsync(LowNamespace, 0, 0);
        for (var i = 0; i < _settings.LowLoadRuns; i++)
        {
            await api.CreateRunAsync(LowNamespace, low.Id, low.StepId);
            await Task.Delay(_settings.LowLoadGapMs);
        }

        await WaitFinishedAsync(db, LowNamespace, _settings.LowLoadRuns, TimeSpan.FromMinutes(5));
        await Task.Delay(500); // the service's log target is asynchronous
        var lowLatencies = ClaimLatency.CreateToRunningMs(db, LowNamespace, serverLog);

        Console.WriteLine($"e2e: {_settings.EndToEndRuns:N0} runs from {_settings.EndToEndClients} concurrent clients");
        var burst = await api.CreateOrchestratorAsync(BurstNamespace, 0, 0);
        var createMs = new List<double>();
        double seconds, createSeconds;
        var sampler = new RssSampler(server.Pid, TimeSpan.FromMilliseconds(50));
        await using (sampler)
        {
            var start = Stopwatch.GetTimestamp();
            createMs.AddRange(await BurstAsync(api, BurstNamespace, burst, _settings.EndToEndRuns));
            createSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            await WaitFinishedAsync(db, BurstNamespace, _settings.EndToEndRuns, TimeSpan.FromMinutes(10));
            seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        // Idle after the load, sampled as the Hangfire peer samples itself: a settle, then a median.
        await Task.Delay(TimeSpan.FromSeconds(_settings.IdleSettleSeconds));
        var idleAfterLoadRss = await MedianRssAsync(server.Pid);

        var completed = Count(db, BurstNamespace, "Status = 4");
        if (completed != _settings.EndToEndRuns)
        {
            _results.Notes.Add($"only {completed} of {_settings.EndToEndRuns} end-to-end runs COMPLETED (the others FAILED or were CANCELLED).");
        }

        await Task.Delay(500);
        var burstLatencies = ClaimLatency.CreateToRunningMs(db, BurstNamespace, serverLog);
        var runsPerSecond = _settings.EndToEndRuns / seconds;
        var createsPerSecond = _settings.EndToEndRuns / createSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  orchrun: {_settings.EndToEndRuns} runs in {seconds:0.00} s = {runsPerSecond:0.0} runs/s"));

        _results.Add(new Figure
        {
            Name = "e2e.orchrun.runs_per_s", Group = "e2e", Title = $"OrchRun: {_settings.EndToEndRuns:N0} no-op runs created through the API until all COMPLETED",
            Value = runsPerSecond, Unit = "runs/s",
            Note = string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s; creates took {createSeconds:0.00} s ({_settings.EndToEndRuns / createSeconds:0} creates/s, {_settings.EndToEndClients} clients); Worker:MaxConcurrentRuns 8"),
        });
        _results.Add(new Figure
        {
            Name = "e2e.orchrun.creates_per_s", Group = "e2e", Title = $"OrchRun: creates/s through POST /orchrun, {_settings.EndToEndClients} clients, during that burst",
            Value = createsPerSecond, Unit = "creates/s",
            Note = string.Create(CultureInfo.InvariantCulture, $"{_settings.EndToEndRuns:N0} creates in {createSeconds:0.00} s, the worker running meanwhile"),
        });
        _results.Add(new Figure
        {
            Name = "e2e.orchrun.create_request.p50", Group = "e2e", Title = "OrchRun: POST /orchrun round trip under that load, p50",
            Value = Stats.Median(createMs), Unit = "ms", Note = $"p99 {BenchResults.Format(Stats.Percentile(createMs, 99))} ms",
        });
        AddLatency("e2e.orchrun.create_to_running", "OrchRun: create-to-RUNNING", lowLatencies, burstLatencies, new Target("<=", 3),
            "low load: one create every ~" + _settings.LowLoadGapMs + " ms; from the run's _createdat to the worker's 'Claimed run' log event, written once the QUEUED -> RUNNING claim is committed");

        _results.Add(new Figure { Name = "memory.startup_rss", Group = "memory", Title = "server RSS just after start-up", Value = startupRss / 1048576.0, Unit = "MB" });
        _results.Add(new Figure { Name = "memory.idle_rss", Group = "memory", Title = "server idle RSS (after the end-to-end warm-up bursts, 2 s idle)", Value = idleRss / 1048576.0, Unit = "MB" });
        _results.Add(new Figure
        {
            Name = "memory.load_rss_peak", Group = "memory", Title = "server peak RSS under the end-to-end load",
            Value = sampler.MaxBytes / 1048576.0, Unit = "MB", Note = $"mean {BenchResults.Format(sampler.MeanBytes / 1048576.0)} MB, sampled every 50 ms",
        });
        _results.Add(new Figure
        {
            Name = "memory.idle_rss_after_load", Group = "memory", Title = "server idle RSS after the end-to-end load",
            Value = idleAfterLoadRss / 1048576.0, Unit = "MB",
            Note = $"{_settings.IdleSettleSeconds} s after the measured burst finished, median of 10 samples 100 ms apart",
        });
        _results.Series.RemoveAll(s => s.Name.StartsWith("latency.e2e.orchrun", StringComparison.Ordinal));
        _results.Series.Add(new Series("latency.e2e.orchrun.low", "percentile", "ms", Stats.Distribution(lowLatencies)));
        _results.Series.Add(new Series("latency.e2e.orchrun.burst", "percentile", "ms", Stats.Distribution(burstLatencies)));
        return new OrchRunOutcome(runsPerSecond, createsPerSecond, idleAfterLoadRss);
    }

    /// <summary>Creates <paramref name="runs"/> runs from the configured number of concurrent clients; answers each create's time (ms).</summary>
    private async Task<List<double>> BurstAsync(ApiClient api, string ns, (string Id, string StepId) orchestrator, int runs)
    {
        var next = 0;
        var clients = Enumerable.Range(0, _settings.EndToEndClients).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (Interlocked.Increment(ref next) <= runs)
            {
                var t = Stopwatch.GetTimestamp();
                await api.CreateRunAsync(ns, orchestrator.Id, orchestrator.StepId);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            return mine;
        })).ToArray();
        return (await Task.WhenAll(clients)).SelectMany(c => c).ToList();
    }

    /// <summary>
    /// The peer at its best: first a sweep of its configurations in one process (warmed once, each
    /// configuration on its own fresh file and storage, one measured burst each), then the best
    /// configuration alone in a fresh process, measured exactly as the service (warm-up, idle RSS,
    /// low load, the full burst, idle RSS after it).
    /// </summary>
    private async Task<HangfireOutcome?> RunHangfireAsync()
    {
        var dll = Path.Combine(_settings.RepoRoot, "bench", "Hangfire", "bin", "Release", "net10.0", "OrchRunService.Bench.Hangfire.dll");
        if (!File.Exists(dll))
        {
            _results.Notes.Add("the Hangfire peer is not built (bench/run.sh builds it): no Hangfire figures.");
            return null;
        }

        var sweep = await RunSweepAsync(dll);
        var best = sweep.MaxBy(c => c.JobsPerSecond)!;
        Console.WriteLine($"hangfire: best configuration {best.Key}; alone: {_settings.LowLoadRuns} jobs one at a time, then {_settings.EndToEndRuns:N0} from {best.Enqueuers} enqueuer(s)");
        var output = Path.Combine(_settings.WorkDir, "hangfire.json");
        File.Delete(output);
        await RunPeerAsync(dll,
        [
            "single", "--db", Path.Combine(_settings.WorkDir, "hangfire.db"), "--jobs", Inv($"{_settings.EndToEndRuns}"), "--clients", Inv($"{best.Enqueuers}"),
            "--workers", Inv($"{best.Workers}"), "--poll-ms", Inv($"{best.PollMs}"), "--lowload", Inv($"{_settings.LowLoadRuns}"),
            "--gap-ms", Inv($"{_settings.LowLoadGapMs}"), "--warm-jobs", Inv($"{_settings.WarmBurstRuns}"), "--warm-bursts", Inv($"{_settings.MaxWarmBursts}"),
            "--settle-ms", Inv($"{_settings.IdleSettleSeconds * 1000}"), "--out", output,
        ], TimeSpan.FromMinutes(15));

        var r = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        _results.Notes.Add($"End-to-end warm-up, Hangfire ({best.Key}): {r["warmBursts"]} burst(s) of {_settings.WarmBurstRuns:N0} jobs, JIT {(r["warmJitIdle"]!.GetValue<bool>() ? "idle in the last" : "still busy after the last")}.");
        var alone = r["jobsPerSecond"]!.GetValue<double>();
        var aloneEnqueues = r["enqueuesPerSecond"]!.GetValue<double>();
        var low = r["lowLoadLatencyMs"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();
        var burst = r["burstLatencyMs"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();

        // The denominator favours the peer: the higher of its best sweep burst and the same configuration's full burst alone.
        var jobsPerSecond = Math.Max(best.JobsPerSecond, alone);
        var bestEnqueue = sweep.MaxBy(c => c.EnqueuesPerSecond)!;
        var (enqueuesPerSecond, enqueueFrom) = bestEnqueue.EnqueuesPerSecond >= aloneEnqueues
            ? (bestEnqueue.EnqueuesPerSecond, $"{bestEnqueue.Key}, sweep")
            : (aloneEnqueues, $"{best.Key}, alone");
        _results.Add(new Figure
        {
            Name = "e2e.hangfire.jobs_per_s", Group = "e2e", Title = "Hangfire, best configuration: no-op jobs enqueued until all succeeded",
            Value = jobsPerSecond, Unit = "jobs/s",
            Note = Inv($"best of {sweep.Count} configurations: {best}; {best.JobsPerSecond:0.0} jobs/s in the sweep ({_settings.HangfireSweepJobs:N0} jobs), {alone:0.0} alone ({_settings.EndToEndRuns:N0} jobs, enqueueing took {r["enqueueSeconds"]!.GetValue<double>():0.00} s); the higher is taken. Hangfire {r["hangfireVersion"]}, Hangfire.Storage.SQLite 0.4.3 ({r["journalMode"]}, synchronous={r["synchronous"]})"),
        });
        _results.Add(new Figure
        {
            Name = "e2e.hangfire.enqueues_per_s", Group = "e2e", Title = "Hangfire, best configuration: enqueues/s with its server running",
            Value = enqueuesPerSecond, Unit = "enqueues/s",
            Note = Inv($"the highest enqueue rate of the sweep and the run alone: {enqueueFrom}"),
        });
        AddLatency("e2e.hangfire.enqueue_to_start", $"Hangfire ({best.Key}): enqueue-to-start", low, burst, null,
            $"low load: one enqueue every ~{_settings.LowLoadGapMs} ms; from the Enqueue call to the job method's first line; the best configuration, QueuePollInterval {best.PollMs} ms");
        _results.Add(new Figure
        {
            Name = "memory.hangfire.load_rss_peak", Group = "memory", Title = "Hangfire peer peak RSS under its load (for comparison)",
            Value = r["peakRssBytes"]!.GetValue<long>() / 1048576.0, Unit = "MB",
            Note = $"idle {BenchResults.Format(r["idleRssBytes"]!.GetValue<long>() / 1048576.0)} MB; {best.Key}",
        });
        var idleAfterLoad = r["idleRssAfterLoadBytes"]!.GetValue<long>();
        _results.Add(new Figure
        {
            Name = "memory.hangfire.idle_rss_after_load", Group = "memory", Title = "Hangfire peer idle RSS after its end-to-end load",
            Value = idleAfterLoad / 1048576.0, Unit = "MB",
            Note = $"{_settings.IdleSettleSeconds} s after its measured burst finished, median of 10 samples 100 ms apart; {best.Key}",
        });
        _results.Series.RemoveAll(s => s.Name.StartsWith("latency.e2e.hangfire", StringComparison.Ordinal));
        _results.Series.Add(new Series("latency.e2e.hangfire.low", "percentile", "ms", Stats.Distribution(low)));
        _results.Series.Add(new Series("latency.e2e.hangfire.burst", "percentile", "ms", Stats.Distribution(burst)));
        return new HangfireOutcome(jobsPerSecond, best.Key, enqueuesPerSecond, enqueueFrom, idleAfterLoad);
    }

    /// <summary>One configuration of the peer as the sweep measured it.</summary>
    private sealed record SweepEntry(string Key, int Enqueuers, int PollMs, int Workers, double JobsPerSecond, double EnqueuesPerSecond, double BurstStartP50Ms)
    {
        public override string ToString() => Inv($"{Enqueuers} enqueuer(s), QueuePollInterval {PollMs} ms, {Workers} workers");
    }

    private async Task<List<SweepEntry>> RunSweepAsync(string dll)
    {
        Console.WriteLine($"hangfire sweep: enqueuers {string.Join(",", _settings.HangfireEnqueuers)} x QueuePollInterval {string.Join(",", _settings.HangfirePollMs)} ms x workers {string.Join(",", _settings.HangfireWorkers)}, {_settings.HangfireSweepJobs:N0} jobs each");
        var output = Path.Combine(_settings.WorkDir, "hangfire-sweep.json");
        File.Delete(output);
        await RunPeerAsync(dll,
        [
            "sweep", "--dir", _settings.WorkDir, "--jobs", Inv($"{_settings.HangfireSweepJobs}"),
            "--enqueuers", string.Join(",", _settings.HangfireEnqueuers), "--poll-ms", string.Join(",", _settings.HangfirePollMs),
            "--workers", string.Join(",", _settings.HangfireWorkers),
            "--warm-jobs", Inv($"{_settings.WarmBurstRuns}"), "--warm-bursts", Inv($"{_settings.MaxWarmBursts}"), "--out", output,
        ], TimeSpan.FromMinutes(30));

        var r = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        _results.Notes.Add($"Hangfire sweep warm-up ({r["warmConfiguration"]}): {r["warmBursts"]} burst(s) of {_settings.WarmBurstRuns:N0} jobs, JIT {(r["warmJitIdle"]!.GetValue<bool>() ? "idle in the last" : "still busy after the last")}.");
        var entries = r["configurations"]!.AsArray().Select(c => new SweepEntry(
            c!["key"]!.GetValue<string>(), c["enqueuers"]!.GetValue<int>(), c["queuePollIntervalMs"]!.GetValue<int>(), c["workers"]!.GetValue<int>(),
            c["jobsPerSecond"]!.GetValue<double>(), c["enqueuesPerSecond"]!.GetValue<double>(), c["burstStartP50Ms"]!.GetValue<double>())).ToList();
        _results.Series.RemoveAll(s => s.Name.StartsWith("e2e.hangfire.sweep", StringComparison.Ordinal));
        foreach (var e in entries)
        {
            _results.Add(new Figure
            {
                Name = $"e2e.hangfire.sweep.{e.Key}.jobs_per_s", Group = "sweep", Title = $"Hangfire {e}: jobs/s end to end",
                Value = e.JobsPerSecond, Unit = "jobs/s",
                Note = Inv($"{_settings.HangfireSweepJobs:N0} jobs; enqueue-to-start p50 during the burst {e.BurstStartP50Ms:0} ms"),
            });
            _results.Add(new Figure
            {
                Name = $"e2e.hangfire.sweep.{e.Key}.enqueues_per_s", Group = "sweep", Title = $"Hangfire {e}: enqueues/s, server running",
                Value = e.EnqueuesPerSecond, Unit = "enqueues/s",
            });
        }

        // One point per configuration, in sweep order: x = its index, y = jobs/s and enqueues/s (the plot labels them by key).
        _results.Series.Add(new Series("e2e.hangfire.sweep.jobs_per_s", string.Join(" ", entries.Select(e => e.Key)), "jobs/s", entries.Select((e, i) => new[] { i, e.JobsPerSecond }).ToList()));
        _results.Series.Add(new Series("e2e.hangfire.sweep.enqueues_per_s", string.Join(" ", entries.Select(e => e.Key)), "enqueues/s", entries.Select((e, i) => new[] { i, e.EnqueuesPerSecond }).ToList()));
        return entries;
    }

    /// <summary>Runs the peer pinned to the server core, as the service is, to its end.</summary>
    private static async Task RunPeerAsync(string dll, string[] args, TimeSpan limit)
    {
        var info = Machine.Pinned(Machine.ServerCore, "dotnet", [dll, .. args]);
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Hangfire peer ({args[0]}) did not finish within {limit}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the Hangfire peer ({args[0]}) failed with exit code {process.ExitCode}");
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private void AddLatency(string name, string title, List<double> low, List<double> burst, Target? target, string note)
    {
        _results.Add(new Figure
        {
            Name = $"{name}.p50", Group = "e2e", Title = $"{title} p50 at low load", Value = Stats.Median(low), Unit = "ms",
            Target = target, Note = $"{low.Count} samples; {note}",
        });
        _results.Add(new Figure { Name = $"{name}.p99", Group = "e2e", Title = $"{title} p99 at low load", Value = Stats.Percentile(low, 99), Unit = "ms" });
        _results.Add(new Figure
        {
            Name = $"{name}.burst_p50", Group = "e2e", Title = $"{title} p50 during the {_settings.EndToEndRuns:N0} burst (queueing included)",
            Value = Stats.Median(burst), Unit = "ms", Note = $"p99 {BenchResults.Format(Stats.Percentile(burst, 99))} ms",
        });
    }

    private static async Task<double> MedianRssAsync(int pid)
    {
        var samples = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(Machine.RssBytes(pid) ?? 0);
            await Task.Delay(100);
        }

        return Stats.Median(samples);
    }

    private static async Task WaitFinishedAsync(string db, string ns, int count, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (Count(db, ns, "Status IN (4, 5, 6)") < count)
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"{ns}: runs did not finish within {limit}");
            }

            await Task.Delay(20);
        }
    }

    private static long Count(string db, string ns, string condition)
    {
        using var connection = Seeder.Open(db);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM OrchRuns WHERE Namespace = $ns AND {condition}";
        command.Parameters.AddWithValue("$ns", ns);
        return (long)command.ExecuteScalar()!;
    }
}
