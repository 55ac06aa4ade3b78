using System.Diagnostics;
using System.Globalization;
using OrchRunService.Bench.Infra;
using OrchRunService.TestSupport;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// Figure 6: PostgreSQL beside SQLite, in the same run. Reads: one node (worker off) per provider
/// on a fresh database holding the same runs, wrk on the list's first page and on GET by id.
/// End to end: the same burst of no-op runs on one SQLite node, then on one, two and three
/// worker nodes sharing one PostgreSQL database (creates spread over the nodes). Every node is
/// pinned to the server core, so more nodes share one core: the figures show what the shared
/// database and claims cost, not the scale-out of separate machines. The server is the cluster
/// bench/run.sh starts (<see cref="PostgresTestServer.Variable"/>); without it the figures are
/// skipped with a note.
/// </summary>
internal sealed class PostgresNodes
{
    private const string Namespace = "bench_pg";
    private const string WarmNamespace = "bench_pg_warm";

    private readonly BenchSettings _settings;
    private readonly BenchResults _results;

    public PostgresNodes(BenchSettings settings, BenchResults results)
    {
        _settings = settings;
        _results = results;
    }

    /// <summary>Runs in the namespace the reads are measured on.</summary>
    private int ReadRuns => Math.Min(_settings.EndToEndRuns, 1_000);

    public async Task RunAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            _results.Notes.Add("PostgreSQL figures skipped: " + PostgresTestServer.UnavailableReason);
            return;
        }

        foreach (var postgres in new[] { false, true })
        {
            await MeasureReadsAsync(postgres);
        }

        var sqlite = await MeasureEndToEndAsync(postgres: false, nodes: 1);
        _results.Add(new Figure { Name = "pg.e2e.sqlite.1", Group = "postgres", Title = $"SQLite, 1 node: {_settings.EndToEndRuns:N0} no-op runs until all COMPLETED", Value = sqlite, Unit = "runs/s" });
        for (var nodes = 1; nodes <= 3; nodes++)
        {
            var runsPerSecond = await MeasureEndToEndAsync(postgres: true, nodes);
            _results.Add(new Figure
            {
                Name = $"pg.e2e.postgres.{nodes}", Group = "postgres",
                Title = $"PostgreSQL, {nodes} worker node(s) on one database: the same runs",
                Value = runsPerSecond, Unit = "runs/s",
                Note = Inv($"{runsPerSecond / sqlite:F2}x SQLite's 1 node; all nodes on one core"),
            });
            if (nodes == 1 && _results.Find("e2e.hangfire.jobs_per_s") is { } hangfire)
            {
                // Only beside figure 3 of the same run: a --postgres run alone has no Hangfire figure.
                _results.Add(new Figure
                {
                    Name = "pg.e2e.postgres_vs_hangfire", Group = "postgres",
                    Title = "end to end: PostgreSQL 1 node runs/s / best Hangfire configuration's jobs/s (on SQLite)",
                    Value = runsPerSecond / hangfire.Value, Unit = "ratio",
                    Numerator = new Side("PostgreSQL, 1 node, runs/s", runsPerSecond, "runs/s"),
                    Denominator = new Side("Hangfire jobs/s, best configuration (figure 3)", hangfire.Value, "jobs/s"),
                    Target = new Target(">=", 1.0),
                    Note = Inv($"{_settings.EndToEndRuns:N0} runs and jobs; PostgreSQL's cluster is throwaway (fsync off), Hangfire's SQLite file synchronous=FULL"),
                });
            }
        }
    }

    private async Task MeasureReadsAsync(bool postgres)
    {
        var provider = postgres ? "PostgreSQL" : "SQLite";
        await using var database = await Database.CreateAsync(postgres, _settings.WorkDir, "reads");
        await using var node = await StartNodeAsync(database, "reads-1", worker: false);
        var token = ServerProcess.MintToken(database.SqliteFile);
        using var api = new ApiClient(node.BaseUrl, token, _settings.EndToEndClients);
        var orchestrator = await api.CreateOrchestratorAsync(Namespace, 0, 0);
        string? id = null;
        await ForEachConcurrentlyAsync(ReadRuns, async _ => id = await api.CreateRunAsync(Namespace, orchestrator.Id, orchestrator.StepId));
        Console.WriteLine($"postgres: reads on {provider}, {ReadRuns:N0} runs");

        foreach (var (key, path, title) in new[]
        {
            ("list", ApiClient.Runs(Namespace) + "&_pageSize=20", "GET /orchrun first page of 20"),
            ("id", ApiClient.Run(Namespace, id!), "GET /orchrun/{id}"),
        })
        {
            if (!Wrk.Available)
            {
                var samples = new List<double>();
                for (var i = 0; i < 50; i++)
                {
                    samples.Add((await api.TimedGetAsync(path)).Ms);
                }

                _results.Add(new Figure { Name = $"pg.{key}.{(postgres ? "postgres" : "sqlite")}.p50", Group = "postgres", Title = $"{provider}: {title}, p50 of 50 sequential requests ({ReadRuns:N0} runs in the namespace)", Value = Stats.Median(samples), Unit = "ms" });
                continue;
            }

            await Wrk.RunAsync(new Uri(node.BaseUrl, path), token, _settings.WrkWarmupWindowSeconds, _settings.WrkConnections, _settings.WorkDir);
            var r = await Wrk.RunAsync(new Uri(node.BaseUrl, path), token, _settings.WrkSeconds, _settings.WrkConnections, _settings.WorkDir);
            Console.WriteLine($"  {provider} {key}: {Wrk.Describe(r)}");
            _results.Add(new Figure
            {
                Name = $"pg.{key}.{(postgres ? "postgres" : "sqlite")}.rps", Group = "postgres",
                Title = $"{provider}: {title} under wrk ({ReadRuns:N0} runs in the namespace)",
                Value = r.RequestsPerSecond, Unit = "req/s",
                Note = Inv($"p50 {r.P(50):F2} ms, p99 {r.P(99):F2} ms{(r.Errors > 0 ? $", {r.Errors} errors" : string.Empty)}"),
            });
        }
    }

    private async Task<double> MeasureEndToEndAsync(bool postgres, int nodes)
    {
        await using var database = await Database.CreateAsync(postgres, _settings.WorkDir, $"e2e{nodes}");
        var started = new List<ServerProcess>();
        try
        {
            // The first node migrates the new database; the others then start together.
            started.Add(await StartNodeAsync(database, "e2e-1", worker: true));
            started.AddRange(await Task.WhenAll(Enumerable.Range(2, nodes - 1).Select(n => StartNodeAsync(database, $"e2e-{n}", worker: true))));
            var token = ServerProcess.MintToken(database.SqliteFile);
            var apis = started.Select(s => new ApiClient(s.BaseUrl, token, _settings.EndToEndClients)).ToList();
            try
            {
                // Warm-up by figure 3's rule: bursts until one passes with every node's JIT idle, so
                // both providers (and the Hangfire peer they are set against) are measured optimised.
                var warm = await apis[0].CreateOrchestratorAsync(WarmNamespace, 0, 0);
                var warmBursts = 0;
                bool jitIdle;
                do
                {
                    var jitBefore = started.Select(n => TieredCompilation.Ticks(n.Pid)).ToArray();
                    var burstStart = Stopwatch.GetTimestamp();
                    await ForEachConcurrentlyAsync(_settings.WarmBurstRuns, i => apis[i % apis.Count].CreateRunAsync(WarmNamespace, warm.Id, warm.StepId));
                    await WaitFinishedAsync(apis[0], WarmNamespace, _settings.WarmBurstRuns * (warmBursts + 1));
                    var during = Stopwatch.GetElapsedTime(burstStart);
                    jitIdle = started.Select((n, i) => TieredCompilation.WasIdle(TieredCompilation.Ticks(n.Pid) - jitBefore[i], during)).All(idle => idle);
                    warmBursts++;
                }
                while (warmBursts < TieredCompilation.MinWarmBursts(_settings.MaxWarmBursts) || (!jitIdle && warmBursts < _settings.MaxWarmBursts));
                _results.Notes.Add($"PostgreSQL figure, end-to-end warm-up on {(postgres ? "PostgreSQL" : "SQLite")} with {nodes} node(s): {warmBursts} burst(s) of {_settings.WarmBurstRuns:N0} runs, JIT {(jitIdle ? "idle in the last" : "still busy after the last")}.");

                var orchestrator = await apis[0].CreateOrchestratorAsync(Namespace, 0, 0);
                var clock = Stopwatch.StartNew();
                await ForEachConcurrentlyAsync(_settings.EndToEndRuns, i => apis[i % apis.Count].CreateRunAsync(Namespace, orchestrator.Id, orchestrator.StepId));
                await WaitFinishedAsync(apis[0], Namespace, _settings.EndToEndRuns);
                var runsPerSecond = _settings.EndToEndRuns / clock.Elapsed.TotalSeconds;
                Console.WriteLine(Inv($"postgres: end to end on {(postgres ? "PostgreSQL" : "SQLite")}, {nodes} node(s): {runsPerSecond:F1} runs/s"));
                return runsPerSecond;
            }
            finally
            {
                apis.ForEach(a => a.Dispose());
            }
        }
        finally
        {
            foreach (var node in started)
            {
                await node.DisposeAsync();
            }
        }
    }

    private async Task<ServerProcess> StartNodeAsync(Database database, string nodeId, bool worker) =>
        await ServerProcess.StartAsync(database.SqliteFile, Path.Combine(_settings.WorkDir, $"pg-{nodeId}.log"), new Dictionary<string, string>
        {
            ["Database__Provider"] = database.Provider,
            ["ConnectionStrings__OrchRun"] = database.ConnectionString,
            ["Worker__Enabled"] = worker ? "true" : "false",
            ["Worker__NodeId"] = nodeId,
        });

    /// <summary>Calls <paramref name="action"/> for 0..count-1 from the bench's usual number of concurrent clients.</summary>
    private async Task ForEachConcurrentlyAsync(int count, Func<int, Task> action) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = _settings.EndToEndClients }, async (i, _) => await action(i));

    /// <summary>Waits for the namespace's finished runs through the API's kept count (the same request on both providers).</summary>
    private static async Task WaitFinishedAsync(ApiClient api, string ns, int count)
    {
        var watch = Stopwatch.StartNew();
        while ((await api.SendJsonAsync(HttpMethod.Get, ApiClient.Runs(ns) + "&_status=COMPLETED,FAILED,CANCELLED&_pageSize=1"))["_total"]!.GetValue<int>() < count)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"{ns}: runs did not finish within 10 minutes");
            }

            await Task.Delay(50);
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh database of one measurement: a SQLite file in the work folder, or a PostgreSQL database dropped afterwards.</summary>
    private sealed class Database : IAsyncDisposable
    {
        private readonly PostgresTestDatabase? _postgres;

        private Database(string sqliteFile, PostgresTestDatabase? postgres)
        {
            SqliteFile = sqliteFile;
            _postgres = postgres;
        }

        /// <summary>The SQLite file (also what the token verb is started with; unused there on PostgreSQL).</summary>
        public string SqliteFile { get; }

        public string Provider => _postgres is null ? "Sqlite" : "Postgres";

        public string ConnectionString => _postgres?.ConnectionString ?? $"Data Source={SqliteFile}";

        public static async Task<Database> CreateAsync(bool postgres, string workDir, string name)
        {
            var file = Path.Combine(workDir, $"pg-{name}.db");
            BenchRunner.DeleteDatabase(file);
            return new Database(file, postgres ? await PostgresTestServer.CreateDatabaseAsync() : null);
        }

        public async ValueTask DisposeAsync()
        {
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BenchRunner.DeleteDatabase(SqliteFile);
        }
    }
}
