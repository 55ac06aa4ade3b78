using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// Side-by-side figures for one decision: several builds or settings of the service (variants:
/// each its own process, all pinned to the server core, each on a copy of the same database)
/// measured in the same run, in alternating rounds, so that the machine's drift hits every
/// variant alike. Reads: wrk on the list and GET by id, medians of the rounds. Writes: bursts of
/// creates from 8 clients until every run finished, and creates one at a time (create-to-RUNNING
/// at low load), medians of the rounds.
/// </summary>
/// <remarks>
/// <c>bench/run.sh --compare reads|writes [--rounds N] [--seconds S] [--runs N] [--low-runs N]
/// [--baseline REF] [--variant name=KEY=VALUE,KEY=VALUE ...]</c>; a variant's settings are
/// environment variables of its process, except <c>BENCH_DLL</c>, which runs another build
/// (<c>--baseline REF</c> adds the variant <c>baseline</c>: that commit, built by run.sh).
/// Results go to bench/results/compare-&lt;what&gt;.json.
/// </remarks>
internal static class Compare
{
    private const string Namespace = "bench_compare";
    private const string LowNamespace = "bench_compare_low";

    public static async Task<int> RunAsync(string[] args)
    {
        var what = args.Length > 0 ? args[0] : "reads";
        var rounds = IntOption(args, "--rounds", 5);
        var seconds = IntOption(args, "--seconds", 4);
        var runs = IntOption(args, "--runs", 600);
        var lowRuns = IntOption(args, "--low-runs", 40);
        var size = IntOption(args, "--size", 100_000);
        var variants = Variants(args);
        if (variants.Count < 2)
        {
            await Console.Error.WriteLineAsync("compare: give at least two --variant name=KEY=VALUE[,KEY=VALUE] (a variant with no settings: --variant name=)");
            return 2;
        }

        var settings = BenchSettings.Parse(["--quick"]);
        var work = Path.Combine(settings.ResultsDir, "compare.tmp");
        Directory.CreateDirectory(work);
        Console.WriteLine($"compare {what}: {string.Join(", ", variants.Keys)}; load average {Machine.LoadAverage()}");
        var figures = what == "writes"
            ? await WritesAsync(work, variants, rounds, runs, lowRuns)
            : await ReadsAsync(work, variants, rounds, seconds, size);

        var file = Path.Combine(settings.ResultsDir, $"compare-{what}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(
            new { what, at = DateTimeOffset.UtcNow, rounds, variants, figures, load_average_after = Machine.LoadAverage() },
            new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {Path.GetRelativePath(settings.RepoRoot, file)}");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static async Task<Dictionary<string, Dictionary<string, double>>> ReadsAsync(
        string work, Dictionary<string, Dictionary<string, string>> variants, int rounds, int seconds, int size)
    {
        var seed = Path.Combine(work, "seed.db");
        BenchRunner.DeleteDatabase(seed);
        var token = ServerProcess.MintToken(seed);
        string orchestratorId, stepId;
        await using (var server = await ServerProcess.StartAsync(seed, Path.Combine(work, "seed.log")))
        {
            using var api = new ApiClient(server.BaseUrl, token);
            (orchestratorId, stepId) = await api.CreateOrchestratorAsync(Namespace, 0, 0);
        }

        var seeder = new Seeder(seed, Namespace, orchestratorId, stepId, size);
        var took = seeder.SeedRunsTo(size);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {size:N0} runs ({took.TotalSeconds:0.0} s)"));

        var servers = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var (name, env) in variants)
            {
                var db = Path.Combine(work, name + ".db");
                BenchRunner.DeleteDatabase(db);
                File.Copy(seed, db);
                servers[name] = await ServerProcess.StartAsync(db, Path.Combine(work, name + ".log"), env);
            }

            var listPath = ApiClient.Runs(Namespace) + "&_pageSize=20&_status=FAILED";
            var idPath = ApiClient.Run(Namespace, seeder.MiddleRunId!.ToLowerInvariant());
            var targets = servers.SelectMany(s => new[]
            {
                (Key: $"{s.Key}.list", Url: new Uri(s.Value.BaseUrl, listPath), Pid: s.Value.Pid),
                (Key: $"{s.Key}.id", Url: new Uri(s.Value.BaseUrl, idPath), Pid: s.Value.Pid),
            }).ToArray();

            // Every variant of one build answers the same bytes, or the comparison is void; builds
            // (a baseline) may differ where the wire gained fields, so their sizes are reported.
            var builds = variants.Values.Any(v => v.ContainsKey(ServerProcess.DllSetting));
            using (var http = new HttpClient())
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                foreach (var group in targets.GroupBy(t => t.Key[(t.Key.IndexOf('.', StringComparison.Ordinal) + 1)..]))
                {
                    var bodies = new List<string>();
                    foreach (var t in group)
                    {
                        bodies.Add(await http.GetStringAsync(t.Url));
                    }

                    if (bodies.Distinct().Count() != 1)
                    {
                        var sizes = string.Join(", ", group.Zip(bodies, (t, b) => $"{t.Key} {b.Length:N0} chars"));
                        if (!builds)
                        {
                            throw new InvalidOperationException($"the variants answer {group.Key} differently ({sizes})");
                        }

                        Console.WriteLine($"  the builds answer {group.Key} differently: {sizes}");
                    }
                }
            }

            await WarmUpAsync(targets, token, servers.Values.Select(s => s.Pid).ToArray());
            var rps = targets.ToDictionary(t => t.Key, _ => new List<double>());
            var p50 = targets.ToDictionary(t => t.Key, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                // Each round in a different order, so no variant always follows the same one.
                foreach (var (key, url, _) in targets.Skip(round % targets.Length).Concat(targets.Take(round % targets.Length)))
                {
                    var r = await Wrk.RunAsync(url, token, seconds, 16, work);
                    Console.WriteLine($"  round {round + 1} {key}: {Wrk.Describe(r)}");
                    if (r.Errors > 0)
                    {
                        throw new InvalidOperationException($"wrk reported {r.Errors} errors on {key}");
                    }

                    rps[key].Add(r.RequestsPerSecond);
                    p50[key].Add(r.P(50));
                }
            }

            var figures = new Dictionary<string, Dictionary<string, double>>();
            foreach (var (key, _, _) in targets)
            {
                figures[key] = new Dictionary<string, double>
                {
                    ["rps_median"] = Math.Round(Stats.Median(rps[key]), 1),
                    ["rps_min"] = Math.Round(rps[key].Min(), 1),
                    ["rps_max"] = Math.Round(rps[key].Max(), 1),
                    ["p50_ms_median"] = Math.Round(Stats.Median(p50[key]), 3),
                };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{key}: median {figures[key]["rps_median"]:0} req/s (min {figures[key]["rps_min"]:0}, max {figures[key]["rps_max"]:0}), p50 {figures[key]["p50_ms_median"]:0.000} ms"));
            }

            return figures;
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<Dictionary<string, Dictionary<string, double>>> WritesAsync(
        string work, Dictionary<string, Dictionary<string, string>> variants, int rounds, int runs, int lowRuns)
    {
        var servers = new Dictionary<string, (ServerProcess Server, ApiClient Api, string Db, string Log, (string Id, string StepId) Orchestrator)>();
        try
        {
            foreach (var (name, env) in variants)
            {
                var db = Path.Combine(work, name + ".db");
                BenchRunner.DeleteDatabase(db);
                var token = ServerProcess.MintToken(db);
                var log = Path.Combine(work, name + ".log");
                File.Delete(log);
                var server = await ServerProcess.StartAsync(db, log, env);
                var api = new ApiClient(server.BaseUrl, token, 8);
                servers[name] = (server, api, db, log, await api.CreateOrchestratorAsync(Namespace, 0, 0));
            }

            var created = servers.Keys.ToDictionary(k => k, _ => 0);

            // Warm-up: two bursts on each variant, so the figures are of optimised code.
            for (var burst = 0; burst < 2; burst++)
            {
                foreach (var (name, s) in servers)
                {
                    var (ok, _, _) = await BurstAsync(s.Api, s.Orchestrator, runs / 2);
                    created[name] += ok;
                    await WaitFinishedAsync(s.Db, created[name]);
                    Console.WriteLine($"  warm-up {burst + 1} {name}: {ok} created");
                }
            }

            var lowLatency = servers.Keys.ToDictionary(k => k, _ => new List<double>());
            var perSecond = servers.Keys.ToDictionary(k => k, _ => new List<double>());
            var createsPerSecond = servers.Keys.ToDictionary(k => k, _ => new List<double>());
            var failures = servers.Keys.ToDictionary(k => k, _ => 0);
            var idleRss = servers.Keys.ToDictionary(k => k, _ => new List<double>());
            var names = servers.Keys.ToArray();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var name in names.Skip(round % names.Length).Concat(names.Take(round % names.Length)))
                {
                    var s = servers[name];
                    var start = Stopwatch.GetTimestamp();
                    var (ok, failed, createSeconds) = await BurstAsync(s.Api, s.Orchestrator, runs);
                    created[name] += ok;
                    await WaitFinishedAsync(s.Db, created[name]);
                    var total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    failures[name] += failed;
                    perSecond[name].Add(ok / total);
                    createsPerSecond[name].Add(ok / createSeconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round + 1} {name}: {ok} runs in {total:0.00} s = {ok / total:0.0} runs/s; creates {ok / createSeconds:0} /s; {failed} creates failed"));

                    var low = await LowLoadAsync(s.Api, s.Db, s.Log, $"{LowNamespace}_{round}", lowRuns);
                    lowLatency[name].Add(Stats.Median(low));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round + 1} {name}: {low.Count} runs one at a time, create-to-RUNNING p50 {Stats.Median(low):0.00} ms"));

                    // Idle after the load, as the end-to-end scenario's idle RSS: a few seconds' settle.
                    await Task.Delay(3000);
                    idleRss[name].Add((Machine.RssBytes(s.Server.Pid) ?? 0) / 1048576.0);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1} {name}: idle RSS {idleRss[name][^1]:0} MB"));
                }
            }

            return names.ToDictionary(n => n, n => new Dictionary<string, double>
            {
                ["runs_per_s_median"] = Math.Round(Stats.Median(perSecond[n]), 1),
                ["runs_per_s_min"] = Math.Round(perSecond[n].Min(), 1),
                ["runs_per_s_max"] = Math.Round(perSecond[n].Max(), 1),
                ["creates_per_s_median"] = Math.Round(Stats.Median(createsPerSecond[n]), 1),
                ["failed_creates"] = failures[n],
                ["low_load_create_to_running_p50_ms_median"] = Math.Round(Stats.Median(lowLatency[n]), 2),
                ["idle_rss_mb_median"] = Math.Round(Stats.Median(idleRss[n]), 1),
            });
        }
        finally
        {
            foreach (var s in servers.Values)
            {
                s.Api.Dispose();
                await s.Server.DisposeAsync();
            }
        }
    }

    /// <summary>Runs created one at a time, 20 ms apart (the end-to-end scenario's low load); answers each one's create-to-RUNNING (ms).</summary>
    private static async Task<List<double>> LowLoadAsync(
        ApiClient api, string db, string log, string ns, int runs)
    {
        var low = await api.CreateOrchestratorAsync(ns, 0, 0);
        for (var i = 0; i < runs; i++)
        {
            await api.CreateRunAsync(ns, low.Id, low.StepId);
            await Task.Delay(20);
        }

        await WaitFinishedAsync(db, runs, ns);
        await Task.Delay(500); // the service's log target is asynchronous
        return ClaimLatency.CreateToRunningMs(db, ns, log);
    }

    private static async Task<(int Ok, int Failed, double Seconds)> BurstAsync(ApiClient api, (string Id, string StepId) orchestrator, int runs)
    {
        var next = 0;
        var ok = 0;
        var failed = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= runs)
            {
                try
                {
                    await api.CreateRunAsync(Namespace, orchestrator.Id, orchestrator.StepId);
                    Interlocked.Increment(ref ok);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return (ok, failed, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static async Task WaitFinishedAsync(string db, int count, string ns = Namespace)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using (var connection = Seeder.Open(db))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT COUNT(*) FROM OrchRuns WHERE Namespace = $ns AND Status IN (4, 5, 6)";
                command.Parameters.AddWithValue("$ns", ns);
                if ((long)command.ExecuteScalar()! >= count)
                {
                    return;
                }
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("runs did not finish within 5 minutes");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every target in turn (3 s each) until a whole turn passes with every variant's tiered compilation idle; 36 to 240 s.</summary>
    private static async Task WarmUpAsync((string Key, Uri Url, int Pid)[] targets, string token, int[] pids)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 240)
        {
            var before = pids.ToDictionary(p => p, TieredCompilation.Ticks);
            var start = Stopwatch.GetTimestamp();
            foreach (var (key, url, _) in targets)
            {
                await Wrk.RunAsync(url, token, 3, 16, Path.GetTempPath());
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            var idle = pids.All(p => TieredCompilation.WasIdle(TieredCompilation.Ticks(p) - before[p], elapsed));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up ({watch.Elapsed.TotalSeconds:0} s): JIT {(idle ? "idle" : "busy")}"));
            if (idle && watch.Elapsed.TotalSeconds >= 36)
            {
                return;
            }
        }

        Console.WriteLine("  warm-up: not idle within 240 s; figures may be below steady state");
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static Dictionary<string, Dictionary<string, string>> Variants(string[] args)
    {
        var variants = new Dictionary<string, Dictionary<string, string>>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] != "--variant")
            {
                continue;
            }

            var (name, rest) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2).ElementAtOrDefault(1) ?? string.Empty);
            variants[name] = rest.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(kv => kv.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]);
        }

        return variants;
    }
}
