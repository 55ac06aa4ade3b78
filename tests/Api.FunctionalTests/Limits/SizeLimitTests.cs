using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Limits;

/// <summary>Runs:MaxParamsBytes and Orchestrators:MaxSteps at their defaults (64 KiB, 100), on the shared API.</summary>
public sealed class SizeLimitTests : ApiTestBase
{
    private const int DefaultMaxParamsBytes = 64 * 1024;

    [Test]
    public async Task Create_WhenActualParamsAreLargerThan64KiB_Is400NamingTheLimit()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
        var actual = new JsonArray { new JsonObject { ["sequence_type_id"] = stepId, ["params"] = Padding(DefaultMaxParamsBytes + 1) } };

        using var response = await Api.PostRunAsync(orchestratorId, actual);

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "_actualparams");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Runs:MaxParamsBytes allows 65536"));
    }

    [Test]
    public async Task Create_WhenDefaultsAndActualParamsTogetherPassTheLimitAsStored_Is400NamingTheLimit()
    {
        // Each half is within the limit; the run stores the defaults overlaid with the actual
        // params (_runparams) and the actual params: more than 64 KiB together.
        var orchestrator = await Api.CreateOrchestratorAsync(stepParams: new JsonObject { ["defaults"] = new string('d', 30 * 1024) });
        var orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
        var actual = new JsonArray { new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["mine"] = new string('a', 20 * 1024) } } };

        using var response = await Api.PostRunAsync(orchestratorId, actual);

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "_actualparams");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("as stored").And.Contain("Runs:MaxParamsBytes"));
    }

    [Test]
    public async Task Create_WhenTheParamsAreJustWithinTheLimit_IsAccepted()
    {
        var orchestrator = await Api.CreateOrchestratorAsync(stepParams: new JsonObject());
        var orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);

        // Stored twice (_actualparams and _runparams, defaults empty): each copy half the limit.
        var actual = new JsonArray { new JsonObject { ["sequence_type_id"] = stepId, ["params"] = Padding(DefaultMaxParamsBytes / 2) } };

        using var response = await Api.PostRunAsync(orchestratorId, actual);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task CreateOrchestrator_WhenItHasMoreThan100Steps_Is400NamingTheLimit()
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody(stepCount: 101)));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "steps");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Orchestrators:MaxSteps allows 100"));
    }

    [Test]
    public async Task CreateOrchestrator_WhenItHas100Steps_IsAccepted()
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody(stepCount: 100)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task CreateOrchestrator_WhenTheStepDefaultsPassTheParamsLimit_Is400NamingTheLimit()
    {
        var body = OrchRunApiClient.OrchestratorBody(stepCount: 3, stepParams: new JsonObject { ["p"] = new string('p', 25 * 1024) });

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "steps");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Runs:MaxParamsBytes"));
    }

    /// <summary>A params object of exactly <paramref name="bytes"/> bytes of compact JSON.</summary>
    internal static JsonObject Padding(int bytes) => new() { ["pad"] = new string('x', bytes - """{"pad":""}""".Length) };

}
