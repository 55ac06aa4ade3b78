using System.Diagnostics;
using OrchRunService.Api.ReliabilityTests.Faults;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Load;

/// <summary>
/// A bounded soak of the real binary on loopback: closed-loop clients send a mix of creates,
/// lists, gets, log reads, cancels and deletes across ten namespaces while the worker executes
/// the runs. Zero 5xx, zero failed requests, zero lost runs, every run final with a whole log,
/// no token in the service's own log, and resident memory flat over the second half of the run.
/// ORCHRUN_SOAK_SECONDS and ORCHRUN_SOAK_CLIENTS size it (10 s and 16 clients in CI).
/// </summary>
[Category("Soak")]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class SoakTests
{
    private const int Namespaces = 10;

    /// <summary>Below this length the memory figure is recorded but not judged (too short to say anything).</summary>
    private const int MinSecondsToJudgeMemory = 30;

    /// <summary>A soak run: one step of 2 × 50 ms.</summary>
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(100);

    private readonly DatabaseProvider _provider;

    public SoakTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    [Test]
    public async Task MixedLoadWithTheWorker_NoServerErrors_NothingLost_MemoryFlat()
    {
        var seconds = ReliabilitySettings.SoakSeconds;
        var clients = ReliabilitySettings.SoakClients;
        var database = ReliabilityService.NewDatabasePath("soak");
        var token = Tokens.For("soak-tests", "*");
        var settings = new Dictionary<string, string> { ["Worker__LeaseSeconds"] = "10" };
        await using var postgres = _provider == DatabaseProvider.Postgres ? await PostgresDatabase.CreateAsync() : null;
        if (postgres is not null)
        {
            settings["Database__Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings__OrchRun"] = postgres.ConnectionString;
        }

        var service = await ReliabilityService.StartAsync(database, settings);
        var failed = true;
        try
        {
            var targets = await KillRestartTests.CreateTargetsAsync(service, token, Namespaces, iterations: 2, intervalMs: 50);
            var driver = new LoadDriver(targets, LoadMix.Soak);
            var memory = new List<(double Second, long Bytes)>();
            using var http = service.CreateClient(token);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var clock = Stopwatch.StartNew();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if (service.ResidentBytes() is { } rss)
                    {
                        lock (memory)
                        {
                            memory.Add((clock.Elapsed.TotalSeconds, rss));
                        }
                    }

                    try
                    {
                        await Task.Delay(500, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
            await driver.RunAsync(http, clients, stop.Token);
            await sampler;
            clock.Stop();

            using var probe = postgres is null ? new DatabaseProbe(database) : DatabaseProbe.ForPostgres(postgres.ConnectionString);
            var drain = await Drain.UntilAllTerminalAsync(probe, KillRestartTests.WorkerSlots, RunTime);
            var audit = await RunAudit.AuditAsync(driver, probe, http, expectAllTerminal: true);
            var rssAfterDrain = service.ResidentBytes();

            // Memory: the peak of the second quarter against the peak of the last quarter.
            var (quarter2, quarter4) = Quarters(memory, seconds);
            var growth = quarter2 > 0 ? Math.Round((double)quarter4 / quarter2, 3) : 0;
            var output = service.Output;
            var errorLines = ServiceErrorLines.In(output);
            Figures.Record(_provider == DatabaseProvider.Postgres ? "soak-postgres" : "soak", new Dictionary<string, object?>
            {
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                ["clients"] = clients,
                ["namespaces"] = Namespaces,
                ["requests"] = driver.Requests,
                ["requests_per_second"] = Math.Round(driver.Requests / clock.Elapsed.TotalSeconds, 1),
                ["statuses"] = driver.Statuses,
                ["latency"] = driver.LatencySummary(),
                ["server_errors"] = driver.ServerErrors.Count,
                ["transport_errors"] = driver.TransportErrors,
                ["acknowledged_creates"] = audit.Acknowledged,
                ["acknowledged_deletes"] = driver.Deleted.Count,
                ["lost"] = audit.Lost,
                ["resurrected"] = audit.Resurrected,
                ["final_statuses"] = audit.FinalStatuses,
                ["drain"] = drain.Figures(),
                ["log_prefixes_checked"] = audit.LogPrefixesChecked,
                ["rss_mb_q2_peak"] = Math.Round(quarter2 / 1048576.0, 1),
                ["rss_mb_q4_peak"] = Math.Round(quarter4 / 1048576.0, 1),
                ["rss_mb_after_drain"] = rssAfterDrain is { } after ? Math.Round(after / 1048576.0, 1) : null,
                ["rss_growth_q4_over_q2"] = growth,
                ["service_error_log_lines"] = errorLines.Count,
                ["service_error_log_kinds"] = ServiceErrorLines.Kinds(errorLines),
            });

            foreach (var line in errorLines.Take(5))
            {
                TestContext.Out.WriteLine("service error: " + (line.Length > 3000 ? line[..3000] : line));
            }

            Assert.That(driver.ServerErrors, Is.Empty, string.Join("\n", driver.ServerErrors.Take(10)));
            Assert.That(driver.TransportErrors, Is.Zero, "requests that got no answer");
            Assert.That(audit.Failures, Is.Empty, string.Join("\n", audit.Failures.Take(30)));
            Assert.That(drain.Failure, Is.Null, "every run ended");
            Assert.That(output, Does.Not.Contain(token), "the service logged a bearer token");
            Assert.That(output, Does.Not.Contain("Unhandled exception"), "the service logged an unhandled exception");
            Assert.That(errorLines, Is.Empty, "the service logged errors (the first are above)");
            if (seconds >= MinSecondsToJudgeMemory)
            {
                Assert.That(growth, Is.LessThan(1.25), $"resident memory grew from {quarter2} to {quarter4} bytes over the second half");
            }

            failed = false;
        }
        finally
        {
            if (failed)
            {
                TestContext.Out.WriteLine("service log: " + service.LogPath);
            }

            await service.DisposeAsync();
            if (!failed)
            {
                ReliabilityService.DeleteFiles(database);
            }
        }
    }

    private static (long Quarter2, long Quarter4) Quarters(List<(double Second, long Bytes)> samples, int seconds)
    {
        long Peak(double from, double to) => samples.Where(s => s.Second >= from && s.Second < to).Select(s => s.Bytes).DefaultIfEmpty(0).Max();
        return (Peak(seconds * 0.25, seconds * 0.5), Peak(seconds * 0.75, seconds + 1));
    }
}
