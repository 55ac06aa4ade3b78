using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// One real service process, driven through HTTP only. The worker runs one run at a time
/// (Worker:MaxConcurrentRuns=1) so that queued runs line up behind a busy worker.
/// </summary>
[NonParallelizable]
public sealed class SingleProcessTests : ProcessTestBase
{
    // The seed document's example log (000_8ddda6e9dd536043.txt), line for line.
    private const string SeedRunId = "8cec89dc-9074-46be-9065-9faade7ad091";
    private const string SeedNode = "b4a149b9-6bc3-429e-bbcf-2661a1cdea98";
    private const string SeedNamespace = "auto8080_CzMQc82u";
    private const string SeedLog = """
        {"orchRunId":"8cec89dc-9074-46be-9065-9faade7ad091","level":"info","message":"Orch run execution has begun","timestamp":"2023-09-08T07:50:31.330Z"}
        {"level":"info","message":"Running Orchestrator: test_connector in Node b4a149b9-6bc3-429e-bbcf-2661a1cdea98, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:50:31.331Z"}
        {"level":"info","message":"Node b4a149b9-6bc3-429e-bbcf-2661a1cdea98 Executing Step: Connector:test_connector, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:50:31.854Z"}
        {"level":"info","message":"Test Connector, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:50:31.857Z"}
        {"level":"info","message":"Executing TestConnector - Connectors with version 1, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:50:31.858Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:50:37.881Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:50:43.879Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:50:49.881Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:50:55.882Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:51:01.885Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:51:07.885Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:51:13.888Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:51:19.889Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop in progress","timestamp":"2023-09-08T07:51:25.889Z"}
        {"level":"info","message":"TestConnector_v1: Dummy loop has ended","timestamp":"2023-09-08T07:51:31.889Z"}
        {"level":"info","message":"[\"Step: Connector:test_connector took ->60.56\"]","timestamp":"2023-09-08T07:51:31.894Z"}
        {"level":"info","message":"Orchestrator test_connector Execution Duration in project auto8080_CzMQc82u is: 60.56, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:51:31.894Z"}
        {"level":"info","message":"Updating orch run status to 4 in OrchExecutionService, orch_run_id: 8cec89dc-9074-46be-9065-9faade7ad091","timestamp":"2023-09-08T07:51:31.896Z"}
        {"end":true,"level":"info","message":"Orch run has ended. Closing up file log stream","timestamp":"2023-09-08T07:51:32.912Z"}
        """;

    private static readonly TimeSpan CancelLimit = TimeSpan.FromSeconds(3);

    private readonly List<string> _createdRuns = [];
    private ApiProcess _node = null!;
    private OrchRunApi _api = null!;

    [OneTimeSetUp]
    public async Task StartService()
    {
        UseNewDatabase();
        var settings = BaseSettings();
        settings["Worker__MaxConcurrentRuns"] = "1";
        _node = (await StartAsync(settings, Guid.NewGuid().ToString()))[0];
    }

    [OneTimeTearDown]
    public async Task StopService() => await StopAllAsync();

    [SetUp]
    public void NewNamespace() => _api = new OrchRunApi(_node.Http, NewNamespace("proc"));

    /// <summary>A failed test must not leave a long run holding the only worker slot.</summary>
    [TearDown]
    public async Task CancelLeftovers()
    {
        foreach (var id in _createdRuns)
        {
            try
            {
                if (await _api.GetRunAsync(id) is { } run && run["_status"]!.GetValue<string>() is "QUEUED" or "RUNNING")
                {
                    await _api.CancelAsync(id);
                }
            }
            catch (InvalidOperationException)
            {
                // Finished meanwhile.
            }
        }

        _createdRuns.Clear();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync($"--- output of node {_node.NodeId} ---\n{_node.OutputTail(60)}");
        }
    }

    [Test]
    public async Task Run_WhenATestConnectorRunCompletes_ItsLogReproducesTheSeedsExampleLineForLine()
    {
        var orchestrator = await _api.CreateTestConnectorOrchestratorAsync(iterations: 10, intervalMs: 50);
        var id = await CreateRunAsync(orchestrator);

        var run = await _api.WaitForStatusAsync(id, Patience, "COMPLETED", "FAILED", "CANCELLED");
        var log = await _api.GetLogAsync(id);

        var expected = SeedLog.Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var actual = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("COMPLETED"));
            Assert.That(log, Does.EndWith("\n"), "NDJSON: every line ends with a newline, as in the seed");
            Assert.That(actual, Has.Count.EqualTo(expected.Count));
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = actual[i];
            var pattern = "^" + Regex.Escape(want["message"]!.GetValue<string>()
                    .Replace(SeedRunId, id, StringComparison.Ordinal)
                    .Replace(SeedNode, _node.NodeId, StringComparison.Ordinal)
                    .Replace(SeedNamespace, _api.Namespace, StringComparison.Ordinal))
                .Replace("60\\.56", @"\d+\.\d{2}", StringComparison.Ordinal) + "$";
            using (Assert.EnterMultipleScope())
            {
                Assert.That(got.Select(p => p.Key), Is.EqualTo(want.Select(p => p.Key)), $"keys of line {i + 1}");
                Assert.That(got["level"]!.GetValue<string>(), Is.EqualTo(want["level"]!.GetValue<string>()), $"level of line {i + 1}");
                Assert.That(got["message"]!.GetValue<string>(), Does.Match(pattern), $"message of line {i + 1}");
                Assert.That(got["timestamp"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"), $"timestamp of line {i + 1}");
            }
        }

        var stamps = actual.Select(l => DateTime.Parse(l["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual[0]["orchRunId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(actual[^1]["end"]!.GetValue<bool>(), Is.True);
            Assert.That(actual.Take(actual.Count - 1).Any(l => l.ContainsKey("end")), Is.False);
            Assert.That(stamps, Is.Ordered);
        }

        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(run["_createdat"]!.GetValue<string>(), CultureInfo.InvariantCulture)).UtcDateTime;
        await Report($"create-to-RUNNING (created -> 'has begun' line), idle single node: {(stamps[0] - createdAt).TotalMilliseconds:F0} ms");
    }

    [Test]
    public async Task Cancel_WhenALongRunIsRunning_ItIsCancelledWithin3SecondsAndItsLogEnds()
    {
        var orchestrator = await _api.CreateTestConnectorOrchestratorAsync(iterations: 10_000, intervalMs: 100, name: "long_one");
        var id = await CreateRunAsync(orchestrator);
        await _api.WaitForStatusAsync(id, Patience, "RUNNING");

        var clock = Stopwatch.StartNew();
        var asked = await _api.CancelAsync(id);
        var cancelled = await _api.WaitForStatusAsync(id, Patience, "CANCELLED", "COMPLETED", "FAILED");
        var elapsed = clock.Elapsed;

        var lines = await _api.GetLogLinesAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked["_status"]!.GetValue<string>(), Is.AnyOf("REQUEST_CANCEL", "CANCELLED"));
            Assert.That(cancelled["_status"]!.GetValue<string>(), Is.EqualTo("CANCELLED"));
            Assert.That(elapsed, Is.LessThan(CancelLimit), "DESIGN: CANCELLED within 3 s of the PUT");
            Assert.That(cancelled["orchrunsteps"]!.AsArray().Select(s => s!["_status"]!.GetValue<string>()), Is.All.EqualTo("CANCELLED"));
            Assert.That(lines.Any(l => l["level"]!.GetValue<string>() == "warn" && l["message"]!.GetValue<string>().Contains("cancelled on request", StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^2]["message"]!.GetValue<string>(), Is.EqualTo($"Updating orch run status to 6 in OrchExecutionService, orch_run_id: {id}"));
            Assert.That(lines[^1]["end"]?.GetValue<bool>(), Is.True);
        }

        var serverSide = long.Parse(cancelled["_updatedat"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            - long.Parse(asked["_updatedat"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        await Report($"cancel latency: PUT -> CANCELLED seen by client {elapsed.TotalMilliseconds:F0} ms; REQUEST_CANCEL -> CANCELLED in the database {serverSide} ms");
    }

    [Test]
    public async Task Delete_WhenTheRunIsRunning_ItIsGoneWithItsLogAndTheWorkerGoesOn()
    {
        var longOne = await _api.CreateTestConnectorOrchestratorAsync(iterations: 10_000, intervalMs: 100, name: "long_one");
        var quick = await _api.CreateTestConnectorOrchestratorAsync(iterations: 0, intervalMs: 0, name: "quick_one");
        var id = await CreateRunAsync(longOne);
        await _api.WaitForStatusAsync(id, Patience, "RUNNING");
        await WaitUntilAsync(async () => (await _api.GetLogAsync(id)).Contains("Dummy loop in progress", StringComparison.Ordinal), Patience, "a progress line");

        var deleted = await _api.DeleteAsync(id);
        var later = await CreateRunAsync(quick);
        var laterRun = await _api.WaitForStatusAsync(later, Patience, "COMPLETED", "FAILED", "CANCELLED");
        await WaitUntilAsync(() => Task.FromResult(_node.OutputTail(400).Contains($"Run {id} ended: Lost", StringComparison.Ordinal)), Patience, "the worker to give the lost run up");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await _api.GetRunAsync(id), Is.Null, "GET is 404 after the delete");
            Assert.That(await _api.GetLogStatusAsync(id), Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(laterRun["_status"]!.GetValue<string>(), Is.EqualTo("COMPLETED"), "the process keeps serving other runs");
            Assert.That(await Database.LinesAsync(runId: id), Is.Empty, "no log lines are left for the deleted run");
            Assert.That(await Database.StepsAsync(id), Is.Empty);
            Assert.That(_node.OutputTail(400), Does.Not.Contain($"Run {id} stopped with an error"));
        }
    }

    [Test]
    public async Task Run_WhenAStepsParamsAreOutOfRange_FailsSayingWhy()
    {
        // An unknown _compid is refused at create now; a parameter out of range still fails only when the step runs.
        const string why = "Parameter 'iterations' must be a whole number from 0 to 100000.";
        var orchestrator = await _api.CreateOrchestratorAsync("mystery_orch", ("mystery", OrchRunApi.TestConnectorId, new { iterations = -1 }), ("after", OrchRunApi.TestConnectorId, new { iterations = 0 }));
        var id = await CreateRunAsync(orchestrator);

        var run = await _api.WaitForStatusAsync(id, Patience, "COMPLETED", "FAILED", "CANCELLED");

        var steps = run["orchrunsteps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var lines = await _api.GetLogLinesAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("FAILED"));
            Assert.That(run["_result"]!.GetValue<string>(), Does.Contain("mystery").And.Contain(why));
            Assert.That(steps[0]["_status"]!.GetValue<string>(), Is.EqualTo("FAILED"));
            Assert.That(steps[0]["_statusmsg"]!.GetValue<string>(), Does.Contain(why));
            Assert.That(steps[1]["_status"]!.GetValue<string>(), Is.EqualTo("SKIPPED"));
            Assert.That(lines.Any(l => l["level"]!.GetValue<string>() == "error" && l["message"]!.GetValue<string>().Contains(why, StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^2]["message"]!.GetValue<string>(), Is.EqualTo($"Updating orch run status to 5 in OrchExecutionService, orch_run_id: {id}"));
            Assert.That(lines[^1]["end"]?.GetValue<bool>(), Is.True);
        }
    }

    [Test]
    public async Task Runs_WhenQueuedWhileTheWorkerIsBusy_StartInCreationOrder()
    {
        var longOne = await _api.CreateTestConnectorOrchestratorAsync(iterations: 10_000, intervalMs: 100, name: "long_one");
        var quick = await _api.CreateTestConnectorOrchestratorAsync(iterations: 0, intervalMs: 0, name: "quick_one");
        var blocker = await CreateRunAsync(longOne);
        await _api.WaitForStatusAsync(blocker, Patience, "RUNNING");

        var queued = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var run = await _api.CreateRunAsync(quick);
            _createdRuns.Add(run["id"]!.GetValue<string>());
            queued.Add(run["id"]!.GetValue<string>());
        }

        var stillQueued = await Task.WhenAll(queued.Select(async q => (await _api.GetRunAsync(q))!["_status"]!.GetValue<string>()));
        await _api.CancelAsync(blocker);
        foreach (var q in queued)
        {
            await _api.WaitForStatusAsync(q, Patience, "COMPLETED", "FAILED", "CANCELLED");
        }

        var begun = new List<(string Id, DateTime At)>();
        foreach (var q in queued)
        {
            var first = (await Database.LinesAsync(runId: q)).First();
            Assert.That(first.Message, Is.EqualTo("Orch run execution has begun"));
            begun.Add((q, first.Timestamp));
        }

        Assert.That(stillQueued, Is.All.EqualTo("QUEUED"), "the busy worker (one slot) left them queued");
        Assert.That(begun.OrderBy(b => b.At).Select(b => b.Id), Is.EqualTo(queued), "FIFO by creation");
    }

    private async Task<string> CreateRunAsync(string orchestratorId)
    {
        var run = await _api.CreateRunAsync(orchestratorId);
        var id = run["id"]!.GetValue<string>();
        _createdRuns.Add(id);
        return id;
    }
}
