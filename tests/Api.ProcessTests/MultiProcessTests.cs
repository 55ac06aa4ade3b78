using System.Diagnostics;
using System.Text.RegularExpressions;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.ProcessTests;

/// <summary>Several real service processes on one database (a SQLite file, a PostgreSQL database): sharing the queue, crashes and graceful stops.</summary>
[NonParallelizable]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class MultiProcessTests : ProviderProcessTestBase
{
    private const int Completed = 4;
    private const int Failed = 5;
    private const int Warn = 3;

    public MultiProcessTests(DatabaseProvider provider)
        : base(provider)
    {
    }

    [Test]
    public async Task ThreeProcesses_WhenSharing300Runs_ExecuteEachExactlyOnce()
    {
        const int runs = 300;

        // This test is about exclusive claims, not crash recovery: with the 3 s lease of the
        // other tests, three processes contending for one SQLite file on a loaded 2-core machine
        // stalled long enough (lock waits) for live nodes to lose leases, and recovery then rightly
        // ran those runs again on attempt 2. A production-like lease keeps that out of the picture.
        var settings = BaseSettings();
        settings["Worker__LeaseSeconds"] = "30";
        var nodes = await StartAsync(settings, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var ns = NewNamespace("multi");
        var apis = nodes.Select(n => new OrchRunApi(n.Http, ns)).ToArray();
        var orchestrator = await apis[0].CreateTestConnectorOrchestratorAsync(iterations: 0, intervalMs: 0);

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
            await apis[i % apis.Length].CreateRunAsync(orchestrator));
        var created = clock.Elapsed;
        await WaitUntilAsync(
            async () => await Database.CountFinishedAsync(ns) == runs,
            Patience,
            "every run to finish");
        var finished = clock.Elapsed;

        var rows = await Database.RunsAsync(ns);
        var lines = (await Database.LinesAsync(ns: ns)).ToLookup(l => l.RunId);
        var nodeOfRun = rows.ToDictionary(r => r.Id, r => lines[r.Id]
            .Select(l => RunningInNode().Match(l.Message))
            .Where(m => m.Success)
            .Select(m => m.Groups["node"].Value)
            .ToList());
        var latencies = rows.Select(r => (lines[r.Id].First().Timestamp - r.CreatedAt).TotalMilliseconds).Order().ToList();
        var perNode = nodeOfRun.Values.SelectMany(n => n).GroupBy(n => n).Select(g => g.Count()).OrderDescending();
        await Report($"{FixtureProvider}, 3 nodes, {runs} runs: created in {created.TotalSeconds:F1} s, all finished after {finished.TotalSeconds:F1} s; runs per node {string.Join('/', perNode)}; "
            + $"create-to-RUNNING p50 {latencies[latencies.Count / 2]:F0} ms, p95 {latencies[latencies.Count * 95 / 100]:F0} ms, max {latencies[^1]:F0} ms");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(runs));
            Assert.That(rows.Select(r => r.Status), Is.All.EqualTo(Completed));
            Assert.That(rows.Select(r => r.Attempt), Is.All.EqualTo(1));
            Assert.That(rows.Select(r => lines[r.Id].Count(l => l.Message == "Orch run execution has begun")), Is.All.EqualTo(1), "each run began exactly once");
            Assert.That(nodeOfRun.Values.Select(n => n.Count), Is.All.EqualTo(1), "each run ran in one node, once");
            Assert.That(rows.Select(r => lines[r.Id].Count(l => l.IsEnd)), Is.All.EqualTo(1));
            Assert.That(rows.Select(r => lines[r.Id].Last().IsEnd), Is.All.True);
            Assert.That(nodeOfRun.Values.SelectMany(n => n).Distinct().Count(), Is.GreaterThan(1), "more than one node did work");
            Assert.That(nodeOfRun.Values.SelectMany(n => n).Distinct(), Is.SubsetOf(nodes.Select(n => n.NodeId)));
        }
    }

    [Test]
    public async Task KillDashNine_WhenTheNodeHoldingRunsDies_AnotherNodeFinishesThemOnAttempt2()
    {
        const int runs = 4;
        var settings = BaseSettings();
        var nodeA = (await StartAsync(settings, "node-a-" + Guid.NewGuid().ToString("N")[..8]))[0];
        var ns = NewNamespace("crash");
        var apiA = new OrchRunApi(nodeA.Http, ns);
        var orchestrator = await apiA.CreateOrchestratorAsync(
            "two_steps",
            ("first", OrchRunApi.TestConnectorId, new { iterations = 1, intervalMs = 0 }),
            ("second", OrchRunApi.TestConnectorId, new { iterations = 20, intervalMs = 100 }));
        var ids = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            ids.Add((await apiA.CreateRunAsync(orchestrator))["id"]!.GetValue<string>());
        }

        // In flight: every run is inside its second step on node A, with some of its lines written.
        await WaitUntilAsync(
            async () =>
            {
                foreach (var id in ids)
                {
                    var run = await Database.RunAsync(id);
                    var steps = await Database.StepsAsync(id);
                    var lines = await Database.LinesAsync(runId: id);
                    if (run?.NodeId != nodeA.NodeId || steps[1].Status != 2 || !lines.Any(l => l.Message == "TestConnector_v1: Dummy loop in progress"))
                    {
                        return false;
                    }
                }

                return true;
            },
            Patience,
            "every run to be inside its second step on node A");
        var beforeCrash = new Dictionary<string, List<LogRow>>();
        foreach (var id in ids)
        {
            beforeCrash[id] = await Database.LinesAsync(runId: id);
        }

        nodeA.KillHard();
        var clock = Stopwatch.StartNew();
        var nodeB = (await StartAsync(settings, "node-b-" + Guid.NewGuid().ToString("N")[..8]))[0];
        await WaitUntilAsync(
            async () => await Database.CountFinishedAsync(ns) == runs,
            Patience,
            "node B to finish the runs");
        await Report($"{FixtureProvider}, kill -9 recovery: node A killed -> {runs} runs finished by node B after {clock.Elapsed.TotalSeconds:F1} s (lease 3 s, node B start-up included)");

        var rows = await Database.RunsAsync(ns);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Status), Is.All.EqualTo(Completed), "nothing left RUNNING or QUEUED");
            Assert.That(rows.Select(r => r.Attempt), Is.All.EqualTo(2));
        }

        foreach (var id in ids)
        {
            var lines = await Database.LinesAsync(runId: id);
            var steps = await Database.StepsAsync(id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(lines.Take(beforeCrash[id].Count).Select(l => (l.Sequence, l.Message)), Is.EqualTo(beforeCrash[id].Select(l => (l.Sequence, l.Message))), "lines written before the crash are kept");
                Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)), "sequence numbers contiguous from 1");
                Assert.That(lines.Any(l => l.Level == Warn && l.Message.Contains($"Node {nodeA.NodeId} stopped renewing its lease", StringComparison.Ordinal)), Is.True);
                Assert.That(lines.Any(l => l.Message.StartsWith("Resuming orch run on attempt 2 of 3", StringComparison.Ordinal)), Is.True);
                Assert.That(lines.Count(l => l.Message.Contains("Executing Step: Connector:first", StringComparison.Ordinal)), Is.EqualTo(1), "the completed first step is not run again");
                Assert.That(lines.Any(l => l.Message == $"Node {nodeB.NodeId} Executing Step: Connector:second, orch_run_id: {id}"), Is.True);
                Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
                Assert.That(lines[^1].IsEnd, Is.True);
                Assert.That(steps.Select(s => s.Status), Is.All.EqualTo(3));
            }
        }
    }

    [Test]
    public async Task KillDashNine_WhenOneOfThreeNodesDiesMidRun_TheOthersFinishItsRunsAndNothingIsLost()
    {
        const int runs = 12;
        var settings = BaseSettings();
        var nodes = await StartAsync(settings, "node-a-" + Guid.NewGuid().ToString("N")[..8], "node-b-" + Guid.NewGuid().ToString("N")[..8], "node-c-" + Guid.NewGuid().ToString("N")[..8]);
        var ns = NewNamespace("crash3");
        var apis = nodes.Select(n => new OrchRunApi(n.Http, ns)).ToArray();
        var orchestrator = await apis[0].CreateOrchestratorAsync(
            "two_steps",
            ("first", OrchRunApi.TestConnectorId, new { iterations = 1, intervalMs = 0 }),
            ("second", OrchRunApi.TestConnectorId, new { iterations = 30, intervalMs = 100 }));
        var ids = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            ids.Add((await apis[i % apis.Length].CreateRunAsync(orchestrator))["id"]!.GetValue<string>());
        }

        // Mid-run: a node holds a run inside its second step, some of its lines written; kill it at once.
        ApiProcess? victim = null;
        await WaitUntilAsync(
            async () =>
            {
                foreach (var id in ids)
                {
                    var run = await Database.RunAsync(id);
                    if (run is { Status: 2, NodeId: { } nodeId } && (await Database.StepsAsync(id))[1].Status == 2
                        && (await Database.LinesAsync(runId: id)).Any(l => l.Message == "TestConnector_v1: Dummy loop in progress"))
                    {
                        victim = nodes.Single(n => n.NodeId == nodeId);
                        return true;
                    }
                }

                return false;
            },
            Patience,
            "a node to be inside the second step of a run");

        victim!.KillHard();

        // What the dead node held inside the second step: frozen until its lease lapses.
        var victimsRuns = new List<string>();
        foreach (var held in (await Database.RunsAsync(ns)).Where(r => r.NodeId == victim.NodeId && r.Status == 2))
        {
            if ((await Database.StepsAsync(held.Id.ToString()))[1].Status == 2)
            {
                victimsRuns.Add(held.Id.ToString());
            }
        }

        Assert.That(victimsRuns, Is.Not.Empty, "the killed node held a run inside its second step");
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(async () => await Database.CountFinishedAsync(ns) == runs, Patience, "the surviving nodes to finish every run");
        await Report($"{FixtureProvider}, kill -9 of 1 of 3 nodes: {victimsRuns.Count} of its runs mid-step; all {runs} runs finished {clock.Elapsed.TotalSeconds:F1} s after the kill (lease 3 s)");

        var rows = await Database.RunsAsync(ns);
        var survivors = nodes.Where(n => n != victim).Select(n => n.NodeId).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(runs), "no run lost");
            Assert.That(rows.Select(r => r.Status), Is.All.EqualTo(Completed));
            Assert.That(rows.Where(r => victimsRuns.Contains(r.Id.ToString())).Select(r => r.Attempt), Is.All.EqualTo(2));
        }

        foreach (var id in ids)
        {
            var lines = await Database.LinesAsync(runId: id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)), $"{id}: sequence numbers contiguous from 1");
                Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1), id);
                Assert.That(lines[^1].IsEnd, Is.True, id);
                if (victimsRuns.Contains(id))
                {
                    Assert.That(lines.Count(l => l.Message.Contains("Executing Step: Connector:first", StringComparison.Ordinal)), Is.EqualTo(1), $"{id}: the first step, completed before the kill, is not run again");
                    Assert.That(lines.Any(l => l.Message.StartsWith("Resuming orch run on attempt 2 of 3", StringComparison.Ordinal)), Is.True, id);
                    Assert.That(survivors.Any(node => lines.Any(l => l.Message == $"Node {node} Executing Step: Connector:second, orch_run_id: {id}")), Is.True, $"{id}: finished on another node");
                }
            }
        }
    }

    [Test]
    public async Task Sigterm_WhenTheNodeRunningARunStopsGracefully_TheRunGoesBackToTheQueueAndAnotherNodeCompletesIt()
    {
        var settings = BaseSettings();
        settings["Worker__ShutdownGraceSeconds"] = "1";
        var nodes = await StartAsync(settings, "node-a-" + Guid.NewGuid().ToString("N")[..8], "node-b-" + Guid.NewGuid().ToString("N")[..8]);
        var ns = NewNamespace("sigterm");
        var orchestrator = await new OrchRunApi(nodes[0].Http, ns).CreateTestConnectorOrchestratorAsync(iterations: 20, intervalMs: 100, name: "long_one");
        var id = (await new OrchRunApi(nodes[0].Http, ns).CreateRunAsync(orchestrator))["id"]!.GetValue<string>();

        string? holder = null;
        await WaitUntilAsync(
            async () =>
            {
                holder = (await Database.RunAsync(id))?.NodeId;
                return holder is not null && (await Database.LinesAsync(runId: id)).Any(l => l.Message == "TestConnector_v1: Dummy loop in progress");
            },
            Patience,
            "the run to be running on a node");
        var stopping = nodes.Single(n => n.NodeId == holder);
        var survivor = nodes.Single(n => n != stopping);

        var exitCode = await stopping.StopGracefullyAsync(Patience);
        var run = await new OrchRunApi(survivor.Http, ns).WaitForStatusAsync(id, Patience, "COMPLETED", "FAILED", "CANCELLED");

        var row = await Database.RunAsync(id);
        var lines = await Database.LinesAsync(runId: id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("COMPLETED"));
            Assert.That(row!.Status, Is.Not.EqualTo(Failed));
            Assert.That(row.Attempt, Is.AnyOf(1, 2), "a release on shutdown gives its attempt back");
            Assert.That(lines.Any(l => l.Level == Warn && l.Message.StartsWith($"Node {stopping.NodeId} is shutting down; orch run returned to the queue", StringComparison.Ordinal)), Is.True);
            Assert.That(lines.Any(l => l.Message.StartsWith($"Running Orchestrator: long_one in Node {survivor.NodeId},", StringComparison.Ordinal)), Is.True);
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [GeneratedRegex(@"^Running Orchestrator: .+ in Node (?<node>\S+), orch_run_id: ")]
    private static partial Regex RunningInNode();
}
