using System.Globalization;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// Figures 1 (API ceiling ratio), 2 (growth) and 4 (logs), on one database whose growth
/// namespace is seeded to each size in turn; the service is restarted after each seeding.
/// </summary>
internal sealed class GrowthAndCeiling
{
    public const string GrowthNamespace = "bench_growth";
    public const string LogsNamespace = "bench_logs";

    private readonly BenchSettings _settings;
    private readonly BenchResults _results;
    private readonly Dictionary<int, (double First, double Deep, double Total)> _growth = [];

    /// <summary>The warm service's list throughput under wrk (the ceiling figure's), which the start-up figure aims at.</summary>
    private double? _steadyListRps;

    public GrowthAndCeiling(BenchSettings settings, BenchResults results)
    {
        _settings = settings;
        _results = results;
    }

    /// <summary>The growth namespace of a size: bench_growth_10k, bench_growth_1M...</summary>
    public static string NamespaceOf(int size) => $"{GrowthNamespace}_{Label(size)}";

    private string ListPath(int size) => $"{ApiClient.Runs(NamespaceOf(size))}&_pageSize=20&_status={_settings.StatusFilter}";

    /// <summary>
    /// One database holds a namespace per growth size (10k, 100k and 1M runs), seeded directly while
    /// the service is stopped; then one service process answers everything, and the sizes are
    /// sampled in turn (round robin), so that the machine's drift hits every size alike.
    /// </summary>
    public async Task RunAsync()
    {
        var db = Path.Combine(_settings.WorkDir, "growth.db");
        BenchRunner.DeleteDatabase(db);
        var log = Path.Combine(_settings.WorkDir, "growth-server.log");
        File.Delete(log);
        var token = ServerProcess.MintToken(db);

        string orchestratorId, stepId;
        await using (var server = await ServerProcess.StartAsync(db, log))
        {
            using var api = new ApiClient(server.BaseUrl, token);
            (orchestratorId, stepId) = await api.CreateOrchestratorAsync(GrowthNamespace, 0, 0);
        }

        string? ceilingRun = null;
        foreach (var size in _settings.GrowthSizes)
        {
            var seeder = new Seeder(db, NamespaceOf(size), orchestratorId, stepId, size);
            var took = seeder.SeedRunsTo(size);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {size:N0} runs into {NamespaceOf(size)} ({took.TotalSeconds:0.0} s)"));
            if (size == _settings.CeilingSize)
            {
                ceilingRun = seeder.MiddleRunId;
            }
        }

        var logSeeder = new Seeder(db, LogsNamespace, orchestratorId, stepId, 10);
        var warmLog = logSeeder.SeedRunWithLog(50);
        var bigLog = logSeeder.SeedRunWithLog(_settings.LogLines);

        await using (var server = await ServerProcess.StartAsync(db, log))
        {
            using var api = new ApiClient(server.BaseUrl, token);
            await MeasureGrowthAsync(api);
            await MeasureCeilingAsync(api, ceilingRun!, server.Pid);
            await MeasureLogsAsync(api, server.Pid, warmLog, bigLog);
        }

        AddGrowthRatio();
        await MeasureStartToSteadyAsync(db, token);
    }

    private async Task MeasureGrowthAsync(ApiClient api)
    {
        var sizes = _settings.GrowthSizes;
        Console.WriteLine($"growth: {string.Join(", ", sizes.Select(Label))} runs, sampled in turn");
        var totals = new Dictionary<int, int>();
        foreach (var size in sizes)
        {
            totals[size] = (int)ApiClient.Parse((await api.TimedGetAsync(ListPath(size))).Body)["_total"]!.GetValue<long>();
        }

        var first = await SampleAsync(api, sizes.ToDictionary(s => s, ListPath), _settings.FirstPageSamples);
        var deepOffsets = sizes.ToDictionary(s => s, s => totals[s] / 2 / 20 * 20);
        var deep = await SampleAsync(api, sizes.ToDictionary(s => s, s => $"{ListPath(s)}&_offset={deepOffsets[s]}"), _settings.DeepPageSamples);
        var countOnly = await SampleAsync(api, sizes.ToDictionary(s => s, s => $"{ApiClient.Runs(NamespaceOf(s))}&_pageSize=1&_status={_settings.StatusFilter}&_offset={int.MaxValue}"), _settings.TotalSamples);

        foreach (var size in sizes)
        {
            var label = Label(size);
            _growth[size] = (Stats.Median(first[size]), Stats.Median(deep[size]), Stats.Median(countOnly[size]));
            _results.Add(new Figure
            {
                Name = $"growth.first_page.p50.{label}", Group = "growth", Title = $"first page p50, {label} runs",
                Value = Stats.Median(first[size]), Unit = "ms",
                Note = $"{first[size].Count} requests; p99 {BenchResults.Format(Stats.Percentile(first[size], 99))} ms; {totals[size]:N0} runs match the filter",
            });
            _results.Add(new Figure
            {
                Name = $"growth.deep_page.p50.{label}", Group = "growth", Title = $"deep page p50 (_offset={deepOffsets[size]:N0}), {label} runs",
                Value = Stats.Median(deep[size]), Unit = "ms", Note = $"{deep[size].Count} requests",
            });
            _results.Add(new Figure
            {
                Name = $"growth.total.p50.{label}", Group = "growth", Title = $"_total alone p50, {label} runs",
                Value = Stats.Median(countOnly[size]), Unit = "ms", Note = $"{countOnly[size].Count} requests of a page past the end (the answer is only the count)",
            });
        }
    }

    private void AddGrowthRatio()
    {
        var sizes = _growth.Keys.Order().ToList();
        var (small, large) = (sizes[0], sizes[^1]);
        _results.Add(new Figure
        {
            Name = "growth.first_page.p50_ratio", Group = "growth",
            Title = $"first page p50 at {Label(large)} / at {Label(small)}",
            Value = _growth[large].First / _growth[small].First, Unit = "ratio",
            Numerator = new Side($"first page p50 at {Label(large)}", _growth[large].First, "ms"),
            Denominator = new Side($"first page p50 at {Label(small)}", _growth[small].First, "ms"),
            Target = new Target("<=", 1.5),
        });
        _results.Series.RemoveAll(s => s.Name.StartsWith("growth.", StringComparison.Ordinal));
        _results.Series.Add(new Series("growth.first_page", "runs", "ms", sizes.Select(s => new[] { (double)s, _growth[s].First }).ToList()));
        _results.Series.Add(new Series("growth.deep_page", "runs", "ms", sizes.Select(s => new[] { (double)s, _growth[s].Deep }).ToList()));
        _results.Series.Add(new Series("growth.total", "runs", "ms", sizes.Select(s => new[] { (double)s, _growth[s].Total }).ToList()));
    }

    /// <summary>Requests each path in turn until each has <paramref name="count"/> samples or the budget is spent.</summary>
    private async Task<Dictionary<int, List<double>>> SampleAsync(ApiClient api, Dictionary<int, string> paths, int count)
    {
        foreach (var path in paths.Values)
        {
            for (var i = 0; i < 3; i++)
            {
                await api.TimedGetAsync(path);
            }
        }

        var samples = paths.Keys.ToDictionary(k => k, _ => new List<double>());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count && (i < 3 || watch.Elapsed < _settings.GrowthBudget); i++)
        {
            foreach (var (key, path) in paths)
            {
                samples[key].Add((await api.TimedGetAsync(path)).Ms);
            }
        }

        return samples;
    }

    private async Task MeasureCeilingAsync(ApiClient api, string runId, int serverPid)
    {
        if (!Wrk.Available)
        {
            _results.Notes.Add("wrk is not installed (apt-get install -y wrk): the API ceiling figures were not measured.");
            return;
        }

        var ns = NamespaceOf(_settings.CeilingSize);
        var listPath = ListPath(_settings.CeilingSize);
        var idPath = ApiClient.Run(ns, runId.ToLowerInvariant());
        var list = await api.TimedGetAsync(listPath);
        var one = await api.TimedGetAsync(idPath);
        await api.PutStaticAsync("list", list.Body, list.ContentType);
        await api.PutStaticAsync("id", one.Body, one.ContentType);
        var targets = new (string Key, Uri Url)[]
        {
            ("static_list", new Uri(api.BaseUrl, "/bench/static/list")),
            ("list", new Uri(api.BaseUrl, listPath)),
            ("static_id", new Uri(api.BaseUrl, "/bench/static/id")),
            ("id", new Uri(api.BaseUrl, idPath)),
            ("mvc_list", new Uri(api.BaseUrl, $"/bench/mvc/list?nsfilter={ns}")),
            ("mvc_id", new Uri(api.BaseUrl, $"/bench/mvc/id?nsfilter={ns}")),
        };
        Console.WriteLine($"api ceiling: list body {list.Body.Length} B, id body {one.Body.Length} B");
        var warmUp = await WarmUpAsync(targets, api.Token, serverPid);
        _results.Notes.Add($"API ceiling warm-up (every endpoint in turn, {_settings.WrkWarmupWindowSeconds} s each, until a whole turn passes with the JIT's tiered compilation idle (under 1 % of the core) and each endpoint within 10 % of its previous turn; at least {_settings.WrkWarmupMinSeconds} s, at most {_settings.WrkWarmupBudgetSeconds} s): {warmUp}.");

        var runs = targets.ToDictionary(t => t.Key, _ => new List<WrkResult>());
        for (var round = 0; round < _settings.WrkRounds; round++)
        {
            foreach (var (key, url) in targets)
            {
                var r = await Wrk.RunAsync(url, api.Token, _settings.WrkSeconds, _settings.WrkConnections, _settings.WorkDir);
                Console.WriteLine($"  {key}: {Wrk.Describe(r)}");
                if (r.Errors > 0)
                {
                    _results.Notes.Add($"wrk reported {r.Errors} errors on {key} (round {round + 1}).");
                }

                runs[key].Add(r);
            }
        }

        var merged = runs.ToDictionary(kv => kv.Key, kv => Merge(kv.Value));
        _steadyListRps = merged["list"].RequestsPerSecond;
        AddCeiling("list", "GET /orchrun (20 runs, _status filter)", merged["list"], merged["static_list"], list.Body.Length);
        AddCeiling("id", "GET /orchrun/{id}", merged["id"], merged["static_id"], one.Body.Length);
        AddFrameworkShare("list", "GET /orchrun (20 runs, _status filter)", merged["list"], merged["mvc_list"], merged["static_list"], 0.50);
        AddFrameworkShare("id", "GET /orchrun/{id}", merged["id"], merged["mvc_id"], merged["static_id"], 0.80);
        _results.Series.RemoveAll(s => s.Name.StartsWith("latency.api.", StringComparison.Ordinal));
        foreach (var (key, result) in merged)
        {
            _results.Series.Add(new Series($"latency.api.{key}", "percentile", "ms", result.PercentilesMs));
        }
    }

    /// <summary>
    /// Loads the endpoints in turn until the service runs them as it will for hours. The code starts
    /// quickly jitted, is instrumented, then recompiled optimised by the JIT's background tiered
    /// compilation; on one busy core that takes a minute or more, through a plateau of steady but
    /// unoptimised throughput (GET by id: about 2,500 req/s for 50 s, then 11,700), so agreeing
    /// figures alone prove nothing. Warm is a whole turn over every endpoint with tiered compilation
    /// idle and each endpoint's throughput within 10 % of its previous turn.
    /// </summary>
    private async Task<string> WarmUpAsync((string Key, Uri Url)[] targets, string token, int serverPid)
    {
        var previous = new Dictionary<string, double>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var turns = 0;
        while (watch.Elapsed.TotalSeconds < _settings.WrkWarmupBudgetSeconds)
        {
            var jitBefore = TieredCompilation.Ticks(serverPid);
            var turnStart = System.Diagnostics.Stopwatch.GetTimestamp();
            var current = new Dictionary<string, double>();
            foreach (var (key, url) in targets)
            {
                current[key] = (await Wrk.RunAsync(url, token, _settings.WrkWarmupWindowSeconds, _settings.WrkConnections, _settings.WorkDir)).RequestsPerSecond;
            }

            turns++;
            var jitIdle = TieredCompilation.WasIdle(TieredCompilation.Ticks(serverPid) - jitBefore, System.Diagnostics.Stopwatch.GetElapsedTime(turnStart));
            var agree = previous.Count > 0 && current.All(c => Math.Abs(c.Value - previous[c.Key]) <= 0.10 * previous[c.Key]);
            var figures = string.Join(", ", current.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:0}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up turn {turns} ({watch.Elapsed.TotalSeconds:0} s, JIT {(jitIdle ? "idle" : "busy")}): {figures} req/s"));
            if (jitIdle && agree && watch.Elapsed.TotalSeconds >= _settings.WrkWarmupMinSeconds)
            {
                return string.Create(CultureInfo.InvariantCulture, $"warm after {turns} turns, {watch.Elapsed.TotalSeconds:0} s");
            }

            previous = current;
        }

        return string.Create(CultureInfo.InvariantCulture, $"not warm within {_settings.WrkWarmupBudgetSeconds} s ({turns} turns): the figures are below the service's steady state");
    }

    private static WrkResult Merge(List<WrkResult> rounds) => new(
        rounds.Average(r => r.RequestsPerSecond),
        rounds.Sum(r => r.Requests),
        rounds.Sum(r => r.Errors),
        rounds[0].PercentilesMs.Select((p, i) => new[] { p[0], rounds.Average(r => r.PercentilesMs[i][1]) }).ToList());

    /// <summary>Against the static copy: kept as figures, without targets (the framework floor alone is about half of it).</summary>
    private void AddCeiling(string key, string title, WrkResult api, WrkResult ceiling, int bytes)
    {
        var note = $"{_settings.WrkRounds} alternating round(s) of {_settings.WrkSeconds} s per side, {_settings.WrkConnections} connections; body {bytes:N0} B";
        _results.Add(new Figure
        {
            Name = $"api.{key}.rps_ratio", Group = "api", Title = $"{title}: requests/s / static ceiling",
            Value = api.RequestsPerSecond / ceiling.RequestsPerSecond, Unit = "ratio",
            Numerator = new Side(title, api.RequestsPerSecond, "req/s"),
            Denominator = new Side("static endpoint, same bytes", ceiling.RequestsPerSecond, "req/s"),
            Note = note,
        });
        foreach (var p in new[] { 50, 99 })
        {
            _results.Add(new Figure
            {
                Name = $"api.{key}.p{p}_ratio", Group = "api", Title = $"{title}: p{p} / static p{p}",
                Value = api.P(p) / ceiling.P(p), Unit = "ratio",
                Numerator = new Side($"{title} p{p}", api.P(p), "ms"),
                Denominator = new Side($"static endpoint p{p}", ceiling.P(p), "ms"),
                Note = note,
            });
        }
    }

    /// <summary>
    /// Splits the gap: the framework floor (same bytes as an MVC action behind the API's middleware)
    /// against the static copy, and the API against that floor (its own work: mediator, validation,
    /// database, JSON).
    /// </summary>
    private void AddFrameworkShare(string key, string title, WrkResult api, WrkResult floor, WrkResult ceiling, double target)
    {
        var note = $"{_settings.WrkRounds} alternating round(s) of {_settings.WrkSeconds} s per side; the floor is bench/Runner/Serving/FrameworkFloorController.cs";
        _results.Add(new Figure
        {
            Name = $"api.{key}.framework_floor_ratio", Group = "api", Title = $"{title}: framework floor requests/s / static ceiling",
            Value = floor.RequestsPerSecond / ceiling.RequestsPerSecond, Unit = "ratio",
            Numerator = new Side("same bytes from an MVC action behind the API's middleware", floor.RequestsPerSecond, "req/s"),
            Denominator = new Side("static endpoint, same bytes", ceiling.RequestsPerSecond, "req/s"),
            Note = note,
        });
        _results.Add(new Figure
        {
            Name = $"api.{key}.vs_framework_floor_ratio", Group = "api", Title = $"{title}: requests/s / framework floor",
            Value = api.RequestsPerSecond / floor.RequestsPerSecond, Unit = "ratio",
            Numerator = new Side(title, api.RequestsPerSecond, "req/s"),
            Denominator = new Side("framework floor, same bytes", floor.RequestsPerSecond, "req/s"),
            Target = new Target(">=", target), Note = note,
        });
    }

    /// <summary>
    /// Figure 8: how soon a freshly started service serves the list at its steady rate. A new
    /// process on the same database (the growth server stopped); from just before its launch, 1-s
    /// wrk slices of the ceiling's list URL as soon as it answers; the figure is the end of the
    /// first slice at >= 90 % of the ceiling's list throughput of this run. Sampling goes on a few
    /// slices beyond it (the curve's plateau), at most <see cref="BenchSettings.WarmUpSampleSeconds"/>.
    /// </summary>
    private async Task MeasureStartToSteadyAsync(string db, string token)
    {
        if (_steadyListRps is not { } steady)
        {
            return;
        }

        var log = Path.Combine(_settings.WorkDir, "startup-server.log");
        File.Delete(log);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start-up: a fresh service, 1-s slices of the list until >= 90 % of {steady:0} req/s (at most {_settings.WarmUpSampleSeconds} s)"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(db, log);
        var answering = clock.Elapsed.TotalSeconds;
        var url = new Uri(server.BaseUrl, ListPath(_settings.CeilingSize));
        var slices = new List<double[]>();
        double? reached = null;
        while (clock.Elapsed.TotalSeconds < _settings.WarmUpSampleSeconds)
        {
            var slice = await Wrk.RunAsync(url, token, 1, _settings.WrkConnections, _settings.WorkDir);
            var end = clock.Elapsed.TotalSeconds;
            slices.Add([end, slice.RequestsPerSecond]);
            if (reached is null && slice.RequestsPerSecond >= 0.9 * steady)
            {
                reached = end;
            }

            if (reached is { } at && end >= at + _settings.WarmUpTailSeconds)
            {
                break;
            }
        }

        var last = slices.Count > 0 ? slices[^1][0] : clock.Elapsed.TotalSeconds;
        _results.Add(new Figure
        {
            Name = "warmup.list_90pct_seconds", Group = "warmup",
            Title = "start-up: process start to the first 1-s slice of GET /orchrun at >= 90 % of its steady throughput",
            Value = reached ?? last, Unit = "s",
            Numerator = new Side("90 % of the steady list throughput", 0.9 * steady, "req/s"),
            Denominator = new Side("steady (figure 1's list, this run)", steady, "req/s"),
            Target = new Target("<=", 10),
            Note = string.Create(CultureInfo.InvariantCulture, $"{(reached is null ? $"NOT reached within {last:0} s (the value is a lower bound); " : string.Empty)}answering after {answering:0.0} s; {slices.Count} slices of 1 s, {_settings.WrkConnections} connections; the ceiling database ({Label(_settings.CeilingSize)} runs in the list's namespace)"),
        });
        _results.Add(new Figure
        {
            Name = "warmup.answering_seconds", Group = "warmup", Title = "start-up: process start to its first 200 from /health/ready",
            Value = answering, Unit = "s",
        });
        _results.Series.RemoveAll(s => s.Name.StartsWith("warmup.", StringComparison.Ordinal));
        _results.Series.Add(new Series("warmup.list", "s since process start", "req/s", slices));
        _results.Series.Add(new Series("warmup.steady", "s since process start", "req/s", [[0, steady]]));
    }

    private async Task MeasureLogsAsync(ApiClient api, int pid, string warmRunId, string bigRunId)
    {
        Console.WriteLine($"logs: serving a {_settings.LogLines:N0}-line log");
        for (var i = 0; i < 3; i++)
        {
            await api.TimedStreamAsync(ApiClient.Logs(LogsNamespace, warmRunId));
        }

        await Task.Delay(1000);
        var idle = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            idle.Add(Machine.RssBytes(pid) ?? 0);
            await Task.Delay(50);
        }

        var baseline = Stats.Median(idle);
        var times = new List<double>();
        long bytes = 0;
        var sampler = new RssSampler(pid, TimeSpan.FromMilliseconds(5));
        await using (sampler)
        {
            for (var i = 0; i < _settings.LogServes; i++)
            {
                var (ms, b) = await api.TimedStreamAsync(ApiClient.Logs(LogsNamespace, bigRunId));
                times.Add(ms);
                bytes = b;
            }
        }

        var peak = sampler.MaxBytes;
        var check = await api.TimedGetAsync(ApiClient.Logs(LogsNamespace, bigRunId));
        var lines = CountEscapedNewlines(check.Body);
        if (lines != _settings.LogLines)
        {
            _results.Notes.Add($"the served log had {lines} lines, not {_settings.LogLines}.");
        }

        _results.Add(new Figure
        {
            Name = "logs.serve.p50", Group = "logs", Title = $"serve a {_settings.LogLines:N0}-line log (GET /orchrun/logs/{{id}}), p50",
            Value = Stats.Median(times), Unit = "ms", Note = $"{times.Count} requests, {bytes:N0} B each, body read to the end",
        });
        _results.Add(new Figure
        {
            Name = "logs.serve.peak_rss", Group = "logs", Title = "server peak RSS while serving it",
            Value = peak / 1048576.0, Unit = "MB", Note = "sampled every 5 ms from /proc/<pid>/status",
        });
        _results.Add(new Figure
        {
            Name = "logs.serve.rss_growth", Group = "logs", Title = "server RSS growth while serving it (peak - before)",
            Value = (peak - baseline) / 1048576.0, Unit = "MB",
            Numerator = new Side("peak RSS while serving", peak / 1048576.0, "MB"),
            Denominator = new Side("RSS before (after a warm-up with a 50-line log)", baseline / 1048576.0, "MB"),
            Target = new Target("<", 20),
        });
    }

    private static int CountEscapedNewlines(byte[] body)
    {
        var count = 0;
        for (var i = 0; i + 1 < body.Length; i++)
        {
            if (body[i] == '\\')
            {
                if (body[i + 1] == 'n')
                {
                    count++;
                }

                i++;
            }
        }

        return count;
    }

    public static string Label(int size) => size switch
    {
        >= 1_000_000 when size % 1_000_000 == 0 => $"{size / 1_000_000}M",
        >= 1_000 when size % 1_000 == 0 => $"{size / 1_000}k",
        _ => size.ToString(CultureInfo.InvariantCulture),
    };
}
