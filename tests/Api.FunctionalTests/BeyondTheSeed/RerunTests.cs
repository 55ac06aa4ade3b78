using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.OrchRuns;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>POST /orchrun/{id}/rerun?fromStep=failed|first over real HTTP, with a worker executing both runs.</summary>
public sealed class RerunTests
{
    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.WithWorker.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    /// <summary>A run of [a quick test_connector step, a step without connector] that has FAILED at its second step.</summary>
    private async Task<JsonObject> FailedRunAsync()
    {
        var orchestrator = await _api.CreateOrchestratorAsync(Runs.TestStep(iterations: 1, intervalMs: 0, name: "prepare"), Runs.FailingStep());
        var prepare = orchestrator["steps"]![0]!["id"]!.GetValue<string>();
        var run = await _api.CreateRunAsync(
            OrchRunApiClient.IdOf(orchestrator),
            [new JsonObject { ["sequence_type_id"] = prepare, ["params"] = new JsonObject { ["_fileId"] = "cb8d42b2" } }]);
        var failed = await _api.WaitUntilFinishedAsync(OrchRunApiClient.IdOf(run));
        Assert.That(Runs.StatusOf(failed), Is.EqualTo("FAILED"), failed.ToJsonString());
        Assert.That(StepStatuses(failed), Is.EqualTo(new[] { "COMPLETED", "FAILED" }));
        return failed;
    }

    private static string[] StepStatuses(JsonNode run) =>
        run["orchrunsteps"]!.AsArray().Select(s => s!["_status"]!.GetValue<string>()).ToArray();

    private static int ExecutedSteps(IEnumerable<string> ndjson, string stepName) =>
        ndjson.Count(l => Runs.MessageOf(l).Contains($"Executing Step: Connector:{stepName},", StringComparison.Ordinal));

    [Test]
    public async Task Rerun_FromFailed_KeepsTheCompletedStepRunsOnlyTheRestAndLinksTheRuns()
    {
        var source = await FailedRunAsync();
        var sourceId = OrchRunApiClient.IdOf(source);

        using var response = await _api.PostRerunAsync(sourceId, "failed");
        var rerun = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        var rerunId = OrchRunApiClient.IdOf(rerun);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerunId, Is.Not.EqualTo(sourceId));
            Assert.That(rerun["_rerunof"]?.GetValue<string>(), Is.EqualTo(sourceId));
            Assert.That(Runs.StatusOf(rerun), Is.EqualTo("QUEUED"));
            Assert.That(rerun["_orchid"]!.GetValue<string>(), Is.EqualTo(source["_orchid"]!.GetValue<string>()));
            Assert.That(StepStatuses(rerun), Is.EqualTo(new[] { "COMPLETED", "QUEUED" }));
            Assert.That(rerun["orchrunsteps"]![0]!["_statusmsg"]!.GetValue<string>(), Is.EqualTo($"Completed in run {sourceId}."));
            Assert.That(
                rerun["orchrunsteps"]!.AsArray().Select(s => s!["_actualparams"]!.GetValue<string>()),
                Is.EqualTo(source["orchrunsteps"]!.AsArray().Select(s => s!["_actualparams"]!.GetValue<string>())));
            Assert.That(rerun["orchrunsteps"]![0]!["_actualparams"]!.GetValue<string>(), Does.Contain("cb8d42b2"));
            Assert.That(
                rerun["orchrunsteps"]!.AsArray().Select(s => s!["_runparams"]!.GetValue<string>()),
                Is.EqualTo(source["orchrunsteps"]!.AsArray().Select(s => s!["_runparams"]!.GetValue<string>())));
            Assert.That(source.ContainsKey("_rerunof"), Is.False, "_rerunof is left out of a run that is no rerun");
        }

        var finished = await _api.WaitUntilFinishedAsync(rerunId);
        var log = await _api.ReadNdjsonLinesAsync(rerunId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Runs.StatusOf(finished), Is.EqualTo("FAILED"), "the step without connector fails again");
            Assert.That(finished["_rerunof"]?.GetValue<string>(), Is.EqualTo(sourceId), "GET shows the link too");
            Assert.That(StepStatuses(finished), Is.EqualTo(new[] { "COMPLETED", "FAILED" }));
            Assert.That(ExecutedSteps(log, "prepare"), Is.Zero, "the completed step is not run again");
            Assert.That(ExecutedSteps(log, "failing_step"), Is.EqualTo(1));
            Assert.That(Runs.StatusOf(await _api.GetRunObjectAsync(sourceId)), Is.EqualTo("FAILED"), "the source run is unchanged");
        }
    }

    [Test]
    public async Task Rerun_FromFirst_RunsEveryStepAgain()
    {
        var source = await FailedRunAsync();

        using var response = await _api.PostRerunAsync(OrchRunApiClient.IdOf(source), "first");
        var rerun = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        Assert.That(StepStatuses(rerun), Is.All.EqualTo("QUEUED"));
        var rerunId = OrchRunApiClient.IdOf(rerun);
        await _api.WaitUntilFinishedAsync(rerunId);

        var log = await _api.ReadNdjsonLinesAsync(rerunId);
        Assert.That(ExecutedSteps(log, "prepare"), Is.EqualTo(1));
        Assert.That(ExecutedSteps(log, "failing_step"), Is.EqualTo(1));
    }

    [Test]
    public async Task Rerun_WithoutFromStep_ResumesFromTheFailedStep()
    {
        var source = await FailedRunAsync();

        using var response = await _api.PostRerunAsync(OrchRunApiClient.IdOf(source));
        var rerun = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(StepStatuses(rerun), Is.EqualTo(new[] { "COMPLETED", "QUEUED" }));
    }

    [Test]
    public async Task Rerun_OfACancelledRun_IsAccepted()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 1000, intervalMs: 100));
        await _api.WaitForStatusAsync(id, ["RUNNING"]);
        (await _api.CancelRunAsync(id, id)).Dispose();
        Assert.That(Runs.StatusOf(await _api.WaitUntilFinishedAsync(id)), Is.EqualTo("CANCELLED"));

        using var response = await _api.PostRerunAsync(id, "first");
        var rerun = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(rerun["_rerunof"]?.GetValue<string>(), Is.EqualTo(id));
        (await _api.DeleteRunAsync(OrchRunApiClient.IdOf(rerun))).Dispose();
    }

    [Test]
    public async Task Rerun_OfACompletedRun_Returns409()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 0, intervalMs: 0));
        Assert.That(Runs.StatusOf(await _api.WaitUntilFinishedAsync(id)), Is.EqualTo("COMPLETED"));

        using var response = await _api.PostRerunAsync(id, "first");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "conflict");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("only FAILED or CANCELLED"));
        Assert.That(await _api.CountRunsAsync(), Is.EqualTo(1), "no run was made");
    }

    [Test]
    public async Task Rerun_OfARunningRun_Returns409()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 1000, intervalMs: 100));
        await _api.WaitForStatusAsync(id, ["RUNNING"]);

        using var response = await _api.PostRerunAsync(id);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "conflict");
        (await _api.DeleteRunAsync(id)).Dispose();
    }

    [Test]
    public async Task Rerun_OfARunOfAnotherNamespace_Returns404()
    {
        using var other = BeyondTheSeedApis.WithWorker.CreateApiClient();
        var id = await other.StartRunAsync(Runs.FailingStep());
        await other.WaitUntilFinishedAsync(id);

        using var response = await _api.PostRerunAsync(id);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.That(await other.CountRunsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Rerun_OfAnUnknownRun_Returns404()
    {
        using var response = await _api.PostRerunAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [TestCase("last")]
    [TestCase("2")]
    public async Task Rerun_WhenFromStepIsNeitherFailedNorFirst_Returns400(string fromStep)
    {
        using var response = await _api.PostRerunAsync(Guid.NewGuid().ToString(), fromStep);

        await ProblemAssert.IsValidationProblemAsync(response, "fromStep");
    }

    [Test]
    public async Task Rerun_WhenTheIdIsNotAGuid_Returns400()
    {
        using var response = await _api.PostRerunAsync("not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }
}

/// <summary>Reruns on the API without worker, where runs stay QUEUED.</summary>
public sealed class QueuedRerunTests
{
    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.Queueing.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    [Test]
    public async Task Rerun_OfAQueuedRun_Returns409()
    {
        var (_, run) = await _api.CreateOrchestratorAndRunAsync();

        using var response = await _api.PostRerunAsync(OrchRunApiClient.IdOf(run), "first");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "conflict");
    }

    [Test]
    public async Task Rerun_WhenTheNamespaceQueueIsFull_Returns429()
    {
        var (_, run) = await _api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(run);
        await BeyondTheSeedApis.Queueing.SetRunStatusAsync(id, OrchRunStatus.Failed);
        await QueuedRunLimitTests.FillQueueAsync(_api, 20);

        using var response = await _api.PostRerunAsync(id);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests, "queue-limit");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null);
        Assert.That(await _api.CountRunsAsync(), Is.EqualTo(21));
    }
}
