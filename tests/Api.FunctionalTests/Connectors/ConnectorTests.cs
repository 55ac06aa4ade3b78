using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Connectors;

public sealed class ConnectorTests : ApiTestBase
{
    private const string UnknownComponent = "0f0f0f0f-1111-2222-3333-444444444444";

    [Test]
    public async Task List_WhenAsked_ReturnsEveryConnectorWithItsParameters()
    {
        using var response = await Api.Http.GetAsync(Api.Url("/datasourcesvc/api/v1/connector"));
        var connectors = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);

        var test = connectors.Single(c => c!["id"]!.GetValue<string>() == OrchRunApiClient.TestConnectorComponentId)!;
        var iterations = test["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "iterations")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connectors.Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "http_request", "test_connector" }));
            Assert.That(test["name"]!.GetValue<string>(), Is.EqualTo("test_connector"));
            Assert.That(iterations["type"]!.GetValue<string>(), Is.EqualTo("integer"));
            Assert.That(iterations["default"]!.GetValue<string>(), Is.EqualTo("10"));
            Assert.That(iterations["minimum"]!.GetValue<long>(), Is.Zero);
            Assert.That(iterations["maximum"]!.GetValue<long>(), Is.EqualTo(100_000));
            Assert.That(iterations["required"]!.GetValue<bool>(), Is.False);
        }
    }

    [Test]
    public async Task CreateOrchestrator_WhenAStepNamesAnUnknownConnector_Returns400ListingTheKnownOnes()
    {
        var body = OrchRunApiClient.OrchestratorBody();
        body["steps"]![0]!["_compid"] = UnknownComponent;

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "steps[0]._compid");
        var message = problem["errors"]!["steps[0]._compid"]![0]!.GetValue<string>();
        Assert.That(message, Does.Contain(UnknownComponent).And.Contain($"{OrchRunApiClient.TestConnectorComponentId} (test_connector)").And.Contain("http_request"));
    }

    [Test]
    public async Task UpdateOrchestrator_WhenAStepNamesAnUnknownConnector_Returns400AndKeepsTheDefinition()
    {
        var created = await Api.CreateOrchestratorAsync();
        var id = OrchRunApiClient.IdOf(created);
        var body = OrchRunApiClient.OrchestratorBody();
        body["steps"]![0]!["_compid"] = UnknownComponent;

        using var response = await Api.PutOrchestratorAsync(id, OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "steps[0]._compid");
        using var fetched = await Api.GetOrchestratorAsync(id);
        var stored = await OrchRunApiClient.ReadObjectAsync(fetched, HttpStatusCode.OK);
        Assert.That(stored["steps"]![0]!["_compid"]!.GetValue<string>(), Is.EqualTo(OrchRunApiClient.TestConnectorComponentId));
    }
}
