using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.BeyondTheSeed;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Connectors;

/// <summary>An http_request step with a Host or hop-by-hop header is refused with 400 when it is defined or run, not failed later.</summary>
public sealed class HttpRequestParamsValidationTests : ApiTestBase
{
    private const string HttpRequestComponentId = "3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d";

    [TestCase("Host")]
    [TestCase("Transfer-Encoding")]
    [TestCase("Proxy-Authorization")]
    public async Task CreateOrchestrator_WhenAnHttpRequestStepSetsAConnectionHeader_Is400OnItsParams(string header)
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(Orchestrator(new JsonObject { [header] = "x" })));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "steps[0]._params");
        Assert.That(problem["errors"]!["steps[0]._params"]![0]!.GetValue<string>(), Does.StartWith($"Header '{header}' cannot be set"));
    }

    [Test]
    public async Task CreateRun_WhenItsParamsAddAConnectionHeaderToAnHttpRequestStep_Is400OnActualParams()
    {
        using var created = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(Orchestrator(new JsonObject { ["X-Fine"] = "yes" })));
        var orchestrator = await OrchRunApiClient.ReadObjectAsync(created, HttpStatusCode.OK);
        var stepId = orchestrator["steps"]![0]!["id"]!.GetValue<string>();

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(orchestrator), [new JsonObject
        {
            ["sequence_type_id"] = stepId,
            ["params"] = new JsonObject { ["headers"] = new JsonObject { ["Connection"] = "close" } },
        }]);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams");
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    private static JsonObject Orchestrator(JsonObject headers) => new()
    {
        ["_name"] = "calls out",
        ["steps"] = new JsonArray(new JsonObject
        {
            ["_name"] = "http_request",
            ["_compid"] = HttpRequestComponentId,
            ["_params"] = new JsonObject { ["url"] = "https://example.test/", ["headers"] = headers },
        }),
    };
}
