using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>Per-step _timeoutSeconds, _retries and _retryDelayMs, end to end with the worker.</summary>
public sealed class StepPolicyTests
{
    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.WithWorker.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    private static JsonObject WithPolicy(JsonObject step, int? timeoutSeconds, int? retries, int? retryDelayMs)
    {
        if (timeoutSeconds is not null)
        {
            step["_timeoutSeconds"] = timeoutSeconds;
        }

        if (retries is not null)
        {
            step["_retries"] = retries;
        }

        if (retryDelayMs is not null)
        {
            step["_retryDelayMs"] = retryDelayMs;
        }

        return step;
    }

    [Test]
    public async Task Run_WhenAStepRunsPastItsTimeoutOnEveryAttempt_FailsSayingItTimedOutAfterLoggingTheRetry()
    {
        var id = await _api.StartRunAsync(WithPolicy(Runs.TestStep(iterations: 100, intervalMs: 100, name: "slow"), timeoutSeconds: 1, retries: 1, retryDelayMs: 50));

        var run = await _api.WaitUntilFinishedAsync(id);

        var step = run["orchrunsteps"]![0]!;
        var messages = (await _api.ReadNdjsonLinesAsync(id)).Select(Runs.MessageOf).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Runs.StatusOf(run), Is.EqualTo("FAILED"));
            Assert.That(step["_status"]!.GetValue<string>(), Is.EqualTo("FAILED"));
            Assert.That(step["_statusmsg"]!.GetValue<string>(), Is.EqualTo("Step timed out after 1 s."));
            Assert.That(run["_result"]!.GetValue<string>(), Is.EqualTo("Step 'slow' failed: Step timed out after 1 s."));
            Assert.That(messages, Has.One.EqualTo($"Step: Connector:slow failed: Step timed out after 1 s; retry 1 of 1 after 50 ms, orch_run_id: {id}"));
            Assert.That(messages.Count(m => m == $"Test Connector, orch_run_id: {id}"), Is.EqualTo(2), "two attempts");
            Assert.That(messages, Has.One.EqualTo($"Step: Connector:slow failed: Step timed out after 1 s., orch_run_id: {id}"));
        }
    }

    [Test]
    public async Task Run_WhenAStepFinishesWithinItsTimeout_Completes()
    {
        var id = await _api.StartRunAsync(WithPolicy(Runs.TestStep(iterations: 2, intervalMs: 10), timeoutSeconds: 30, retries: 2, retryDelayMs: 50));

        var run = await _api.WaitUntilFinishedAsync(id);

        Assert.That(Runs.StatusOf(run), Is.EqualTo("COMPLETED"));
        Assert.That((await _api.ReadNdjsonLinesAsync(id)).Select(Runs.MessageOf), Has.None.Contains("retry"));
    }

    [Test]
    public async Task Run_WhenAFailingStepRetries_LogsEachRetryWithItsDoublingDelay()
    {
        // "iterations" is not a number: the test connector refuses it at once, on every attempt.
        var failing = Runs.TestStep(iterations: 0, intervalMs: 0, name: "picky");
        failing["_params"]!["iterations"] = "many";
        var id = await _api.StartRunAsync(WithPolicy(failing, timeoutSeconds: null, retries: 2, retryDelayMs: 20));

        var run = await _api.WaitUntilFinishedAsync(id);

        var retries = (await _api.ReadNdjsonLinesAsync(id)).Select(Runs.MessageOf).Where(m => m.Contains("; retry ", StringComparison.Ordinal)).ToList();
        Assert.That(Runs.StatusOf(run), Is.EqualTo("FAILED"));
        Assert.That(retries, Has.Count.EqualTo(2));
        Assert.That(retries[0], Does.Contain("retry 1 of 2 after 20 ms"));
        Assert.That(retries[1], Does.Contain("retry 2 of 2 after 40 ms"));
    }

    [Test]
    public async Task Cancel_DuringARetryWait_EndsTheRunAtOnce()
    {
        var failing = Runs.TestStep(iterations: 0, intervalMs: 0, name: "picky");
        failing["_params"]!["iterations"] = "many";
        var id = await _api.StartRunAsync(WithPolicy(failing, timeoutSeconds: null, retries: 3, retryDelayMs: 60_000));

        // The retry line is in the log while the worker waits the minute before the retry.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await _api.ReadNdjsonLinesAsync(id)).Select(Runs.MessageOf).Any(m => m.Contains("retry 1 of 3 after 60000 ms", StringComparison.Ordinal)))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the retry line is not in the log during the retry wait");
            await Task.Delay(50);
        }

        var cancelledAt = DateTime.UtcNow;
        (await _api.CancelRunAsync(id, id)).Dispose();
        var run = await _api.WaitUntilFinishedAsync(id, timeoutSeconds: 20);

        Assert.That(Runs.StatusOf(run), Is.EqualTo("CANCELLED"));
        Assert.That(DateTime.UtcNow - cancelledAt, Is.LessThan(TimeSpan.FromSeconds(10)), "the cancel did not wait for the minute's retry delay");
        Assert.That(run["orchrunsteps"]![0]!["_status"]!.GetValue<string>(), Is.EqualTo("CANCELLED"));
    }

    [Test]
    public async Task Orchestrator_ListsEachStepsPolicyWithDefaultsForTheOnesNotGiven()
    {
        var orchestrator = await _api.CreateOrchestratorAsync(
            WithPolicy(Runs.TestStep(0, 0, "limited"), timeoutSeconds: 30, retries: 2, retryDelayMs: 500),
            Runs.TestStep(0, 0, "plain"));

        using var response = await _api.GetOrchestratorAsync(OrchRunApiClient.IdOf(orchestrator));
        var read = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var limited = read["steps"]![0]!.AsObject();
        var plain = read["steps"]![1]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(limited["_timeoutSeconds"]?.GetValue<int>(), Is.EqualTo(30));
            Assert.That(limited["_retries"]?.GetValue<int>(), Is.EqualTo(2));
            Assert.That(limited["_retryDelayMs"]?.GetValue<int>(), Is.EqualTo(500));
            Assert.That(plain.ContainsKey("_timeoutSeconds"), Is.False, "no time limit: the field is left out");
            Assert.That(plain["_retries"]?.GetValue<int>(), Is.Zero);
            Assert.That(plain["_retryDelayMs"]?.GetValue<int>(), Is.EqualTo(1000));
        }
    }

    [TestCase("_timeoutSeconds", 0)]
    [TestCase("_timeoutSeconds", 86_401)]
    [TestCase("_retries", -1)]
    [TestCase("_retries", 11)]
    [TestCase("_retryDelayMs", -1)]
    [TestCase("_retryDelayMs", 3_600_001)]
    public async Task Orchestrator_WhenAPolicyValueIsOutOfRange_Returns400NamingTheStepsField(string field, int value)
    {
        var step = Runs.TestStep(0, 0);
        step[field] = value;
        step["_sequenceno"] = 1;
        var body = new JsonObject { ["_name"] = "x", ["steps"] = new JsonArray(step) };

        using var response = await _api.PostOrchestratorAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, $"steps[0].{field}");
    }
}
