using System.Diagnostics;
using System.Text.Json.Nodes;
using OrchRunService.Api.ReliabilityTests.Load;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Faults;

/// <summary>
/// Hangfire's and Temporal's promise, checked on the real binary: the service is killed with
/// SIGKILL while clients create, read, cancel and read logs and the worker executes runs, then
/// started again on the same database, cycle after cycle. Every create answered 200 is still
/// there, every run ends final (resumed from its first unfinished step after its lease
/// expires) with a whole log, and every log line read before a crash is still there after it.
/// ORCHRUN_KILL_CYCLES sets the cycles (2 in CI).
/// </summary>
[Category("Faults")]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class KillRestartTests
{
    private const int Namespaces = 4;
    private const int Clients = 8;

    /// <summary>The worker's default slots (Worker:MaxConcurrentRuns), which these services keep.</summary>
    internal const int WorkerSlots = 8;

    /// <summary>A run of <see cref="CreateTargetsAsync"/>'s default orchestrator: two steps of 4 × 100 ms.</summary>
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(800);

    private readonly DatabaseProvider _provider;

    public KillRestartTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    [Test]
    public async Task Kill9UnderLoad_ThenRestart_LosesNoAcknowledgedRunAndEveryRunEndsWithAWholeLog()
    {
        var cycles = ReliabilitySettings.KillCycles;
        var database = ReliabilityService.NewDatabasePath("kill");
        var settings = new Dictionary<string, string>
        {
            ["Runs__MaxQueuedPerNamespace"] = "100000",
            ["Worker__MaxAttempts"] = (cycles + 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var postgres = _provider == DatabaseProvider.Postgres ? await PostgresDatabase.CreateAsync() : null;
        if (postgres is not null)
        {
            settings["Database__Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings__OrchRun"] = postgres.ConnectionString;
        }

        var token = Tokens.For("kill-tests", "*");
        var random = new Random();
        ServiceProcess? service = null;
        var kills = new List<object>();
        try
        {
            service = await ReliabilityService.StartAsync(database, settings);
            var targets = await CreateTargetsAsync(service, token);
            var driver = new LoadDriver(targets, LoadMix.CrashWithoutDeletes);

            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                using var http = service.CreateClient(token, TimeSpan.FromSeconds(20));
                await WarmUpAsync(http, targets);
                using var stop = new CancellationTokenSource();
                var acknowledgedAtStart = driver.Acknowledged.Count;
                var load = driver.RunAsync(http, Clients, stop.Token);

                // Kill at a random moment, once this incarnation has acknowledged something.
                var loadFor = TimeSpan.FromMilliseconds(random.Next(1500, 4000));
                var loading = Stopwatch.StartNew();
                await Task.Delay(loadFor);
                while (driver.Acknowledged.Count == acknowledgedAtStart && loading.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50);
                }

                // kill -9 while requests are in flight, then let the clients notice.
                var acknowledgedBefore = driver.Acknowledged.Count;
                service.Kill();
                var clock = Stopwatch.StartNew();
                await stop.CancelAsync();
                await load;
                await service.DisposeAsync();

                service = await ReliabilityService.StartAsync(database, settings);
                clock.Stop();
                kills.Add(new Dictionary<string, object>
                {
                    ["cycle"] = cycle,
                    ["load_ms"] = (int)loading.Elapsed.TotalMilliseconds,
                    ["acknowledged_in_cycle"] = acknowledgedBefore - acknowledgedAtStart,
                    ["restart_ms"] = (int)clock.Elapsed.TotalMilliseconds,
                });
            }

            // The last incarnation finishes everything: leases of the dead nodes expire and their runs resume.
            using var probe = postgres is null ? new DatabaseProbe(database) : DatabaseProbe.ForPostgres(postgres.ConnectionString);
            var drain = await Drain.UntilAllTerminalAsync(probe, WorkerSlots, RunTime);
            using var client = service.CreateClient(token);
            var audit = await RunAudit.AuditAsync(driver, probe, client, expectAllTerminal: true);

            Figures.Record(_provider == DatabaseProvider.Postgres ? "kill-9-postgres" : "kill-9", new Dictionary<string, object?>
            {
                ["cycles"] = cycles,
                ["kills"] = kills,
                ["requests"] = driver.Requests,
                ["transport_errors_around_kills"] = driver.TransportErrors,
                ["server_errors"] = driver.ServerErrors.Count,
                ["acknowledged_creates"] = audit.Acknowledged,
                ["stored_without_acknowledgement"] = audit.StoredWithoutAcknowledgement,
                ["lost"] = audit.Lost,
                ["resumed_runs"] = audit.Resumed,
                ["final_statuses"] = audit.FinalStatuses,
                ["logs_checked"] = audit.LogsChecked,
                ["log_prefixes_checked"] = audit.LogPrefixesChecked,
                ["drain"] = drain.Figures(),
            });

            Assert.That(driver.Acknowledged, Is.Not.Empty, "the load created runs");
            Assert.That(driver.ServerErrors, Is.Empty, string.Join("\n", driver.ServerErrors.Take(10)));
            Assert.That(audit.Failures, Is.Empty, string.Join("\n", audit.Failures.Take(30)));
            Assert.That(drain.Failure, Is.Null, "every run ended");
        }
        finally
        {
            if (service is not null)
            {
                if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
                {
                    TestContext.Out.WriteLine("service log: " + service.LogPath);
                }

                await service.DisposeAsync();
            }

            if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                ReliabilityService.DeleteFiles(database);
            }
        }
    }

    /// <summary>
    /// A freshly started service compiles its request paths on first use, which on a busy
    /// machine takes seconds; one read per namespace first, so the kill lands on real work.
    /// </summary>
    internal static async Task WarmUpAsync(HttpClient http, IReadOnlyList<LoadTarget> targets)
    {
        foreach (var target in targets)
        {
            using var response = await http.GetAsync(new Uri($"{OrchRunApiClient.RunsPath}?nsfilter={target.Namespace}&_pageSize=5", UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>One orchestrator per namespace: two test_connector steps of a few hundred ms, so kills land mid-run.</summary>
    internal static async Task<List<LoadTarget>> CreateTargetsAsync(ServiceProcess service, string token, int namespaces = Namespaces, int iterations = 4, int intervalMs = 100)
    {
        using var http = service.CreateClient(token);
        var targets = new List<LoadTarget>();
        for (var n = 0; n < namespaces; n++)
        {
            // Not disposed: it would dispose the shared client.
            var api = new OrchRunApiClient(http, TestNamespace.New());
            var orchestrator = await api.CreateOrchestratorAsync(stepCount: 2, stepParams: new JsonObject { ["iterations"] = iterations, ["intervalMs"] = intervalMs });
            targets.Add(new LoadTarget(api.Namespace, OrchRunApiClient.IdOf(orchestrator)));
        }

        return targets;
    }
}
