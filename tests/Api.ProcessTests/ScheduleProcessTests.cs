using System.Diagnostics;
using System.Text.Json.Nodes;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Three real service processes on one database (a SQLite file, or PostgreSQL) firing many
/// schedules: every slot is handled exactly once across the nodes, also across a kill -9 of the
/// node holding the scan lease.
/// </summary>
[NonParallelizable]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ScheduleProcessTests : ProviderProcessTestBase
{
    private const int Schedules = 200;
    private const int PeriodSeconds = 5;
    private const int Fired = 0;

    public ScheduleProcessTests(DatabaseProvider provider)
        : base(provider)
    {
    }

    [Test]
    public async Task ThreeNodes_When200SchedulesFireAndTheScanningNodeIsKilled_EverySlotFiresExactlyOnce()
    {
        var settings = BaseSettings();
        settings["Worker__LeaseSeconds"] = "30";
        settings["Schedules__MinIntervalSeconds"] = "1";
        settings["Schedules__MaxPerNamespace"] = "1000";
        settings["Schedules__LeaseSeconds"] = "4";
        settings["Schedules__ScanIntervalMs"] = "500";
        var nodes = await StartAsync(settings, "node-a-" + Guid.NewGuid().ToString("N")[..8], "node-b-" + Guid.NewGuid().ToString("N")[..8], "node-c-" + Guid.NewGuid().ToString("N")[..8]);
        var ns = NewNamespace("sched");
        var apis = nodes.Select(n => new OrchRunApiClient(n.Http, ns)).ToArray();
        var orchestrator = OrchRunApiClient.IdOf(await apis[0].CreateOrchestratorAsync());

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Schedules), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
        {
            var body = new JsonObject
            {
                ["orchestratorId"] = orchestrator,
                ["_cron"] = $"*/{PeriodSeconds} * * * * *",
                ["_actualparams"] = new JsonArray(),
                ["_overlap"] = "queue",
            };
            using var response = await apis[i % apis.Length].Http.PostAsync(apis[i % apis.Length].Url(OrchRunApiClient.BasePath + "/schedule"), OrchRunApiClient.Json(body));
            await OrchRunApiClient.ReadObjectAsync(response, System.Net.HttpStatusCode.OK);
        });
        await Report($"{Schedules} schedules created in {clock.Elapsed.TotalSeconds:F1} s");

        // Let them fire, then kill the node that scans.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var holder = await Database.LeaseHolderAsync("schedule-scan");
        var victim = nodes.Single(n => n.NodeId == holder);
        victim.KillHard();
        var killedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(20));
        var newHolder = await Database.LeaseHolderAsync("schedule-scan");
        foreach (var node in nodes.Where(n => n != victim))
        {
            node.KillHard();
        }

        var stoppedAt = DateTime.UtcNow;
        var fires = await Database.FiresAsync(ns);
        var runs = await Database.ScheduledRunsAsync(ns);
        var schedules = await Database.SchedulesAsync(ns);

        var period = TimeSpan.FromSeconds(PeriodSeconds);
        var gaps = 0;
        var missing = 0;
        foreach (var (id, createdAt) in schedules)
        {
            var slots = fires.Where(f => f.ScheduleId == id).Select(f => f.Slot).Order().ToList();
            var first = new DateTime((createdAt.Ticks / period.Ticks + 1) * period.Ticks, DateTimeKind.Utc);
            missing += slots.Count == 0 || slots[0] != first ? 1 : 0;
            gaps += slots.Zip(slots.Skip(1), (a, b) => b - a).Count(d => d != period);
        }

        var runsBySlot = runs.GroupBy(r => (r.ScheduleId, r.ScheduledFor)).ToList();
        var lags = runs.Select(r => (r.CreatedAt - r.ScheduledFor).TotalMilliseconds).Order().ToList();
        var steadyLags = runs.Where(r => r.ScheduledFor < killedAt.AddSeconds(-2) || r.ScheduledFor > killedAt.AddSeconds(6))
            .Select(r => (r.CreatedAt - r.ScheduledFor).TotalMilliseconds).Order().ToList();
        var afterKill = fires.Count(f => f.Slot > killedAt.AddSeconds(5));
        await Report($"{Schedules} schedules every {PeriodSeconds} s on 3 nodes for {(stoppedAt - killedAt).TotalSeconds + 20:F0} s: {fires.Count} slots, {runs.Count} runs, "
            + $"{afterKill} slots after the kill -9 of the scanner ({holder} -> {newHolder}); slot-to-run lag p50 {Percentile(lags, 50):F0} ms, p99 {Percentile(lags, 99):F0} ms, max {lags.LastOrDefault():F0} ms; "
            + $"away from the kill p50 {Percentile(steadyLags, 50):F0} ms, p99 {Percentile(steadyLags, 99):F0} ms");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedules, Has.Count.EqualTo(Schedules));
            Assert.That(fires.Select(f => f.Outcome), Is.All.EqualTo(Fired), "overlap queue, catch-up within grace: every slot fires");
            Assert.That(missing, Is.Zero, "each schedule's first slot after its creation was handled");
            Assert.That(gaps, Is.Zero, "no slot between the first and the last handled one was skipped");
            Assert.That(runsBySlot.Where(g => g.Count() > 1), Is.Empty, "no slot created two runs");
            Assert.That(runs, Has.Count.EqualTo(fires.Count), "every slot record has its run and every scheduled run its record");
            Assert.That(fires.Select(f => f.RunId), Is.EquivalentTo(runs.Select(r => (Guid?)r.Id)));
            Assert.That(newHolder, Is.Not.EqualTo(holder), "another node took the scan lease over");
            Assert.That(afterKill, Is.GreaterThan(Schedules), "slots after the lease lapsed fired");
            Assert.That(Percentile(steadyLags, 50), Is.LessThan(1000), "p50 slot-to-run lag under 1 s");
        }
    }

    private static double Percentile(List<double> sorted, int percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, sorted.Count * percent / 100)];
}
