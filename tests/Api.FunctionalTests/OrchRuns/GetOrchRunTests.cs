using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class GetOrchRunTests : ApiTestBase
{
    private static readonly string[] RunProperties =
        ["id", "_orchid", "_name", "_description", "_namespaces", "_usertype", "_createdby", "_createdat", "_status", "_result", "orchrunsteps"];

    private static readonly string[] StepProperties =
        ["id", "_name", "orchstepid", "_compid", "_orchrunid", "_actualparams", "_sequenceno", "_runparams", "_status", "_statusmsg"];

    [Test]
    public async Task Get_WhenRunExists_ReturnsAnArrayOfOneRunWithTheSeedsPropertyNames()
    {
        var (orchestrator, created) = await Api.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(created);

        using var response = await Api.GetRunAsync(runId);
        var body = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);

        Assert.That(body, Has.Count.EqualTo(1));
        var run = body[0]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(run.Select(p => p.Key), Is.EquivalentTo(RunProperties), "a new run has no _updatedat yet");
            Assert.That(StringOf(run, "id"), Is.EqualTo(runId));
            Assert.That(StringOf(run, "_orchid"), Is.EqualTo(OrchRunApiClient.IdOf(orchestrator)));
            Assert.That(StringOf(run, "_name"), Is.EqualTo("Test Instant Orch"));
            Assert.That(StringOf(run, "_description"), Is.EqualTo("Test Instant Orch"));
            Assert.That(run["_namespaces"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { Api.Namespace }));
            Assert.That(StringOf(run, "_usertype"), Is.EqualTo("test_instant"));
            Assert.That(StringOf(run, "_createdby"), Is.Not.Empty);
            Assert.That(StringOf(run, "_createdat"), Does.Match("^[0-9]{13}$"), "epoch milliseconds as a string");
            Assert.That(StringOf(run, "_status"), Is.EqualTo("QUEUED"));
            Assert.That(StringOf(run, "_result"), Is.Empty);
        }

        var steps = run["orchrunsteps"]!.AsArray();
        Assert.That(steps, Has.Count.EqualTo(1));
        var step = steps[0]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(step.Select(p => p.Key), Is.EquivalentTo(StepProperties));
            Assert.That(Guid.TryParse(StringOf(step, "id"), out _), Is.True);
            Assert.That(StringOf(step, "_name"), Is.EqualTo("test_connector"));
            Assert.That(StringOf(step, "orchstepid"), Is.EqualTo(orchestrator["steps"]![0]!["id"]!.GetValue<string>()));
            Assert.That(StringOf(step, "_compid"), Is.EqualTo(OrchRunApiClient.TestConnectorComponentId));
            Assert.That(StringOf(step, "_orchrunid"), Is.EqualTo(runId));
            Assert.That(StringOf(step, "_actualparams"), Is.EqualTo("{}"));
            Assert.That(step["_sequenceno"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
            Assert.That(step["_sequenceno"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(JsonNode.Parse(StringOf(step, "_runparams")), Is.InstanceOf<JsonObject>(), "_runparams is a JSON string holding an object");
            Assert.That(StringOf(step, "_status"), Is.EqualTo("QUEUED"));
            Assert.That(StringOf(step, "_statusmsg"), Is.Empty);
        }
    }

    [Test]
    public async Task Get_WhenRunExists_AnswersTheSameRunAsCreate()
    {
        var (_, created) = await Api.CreateOrchestratorAndRunAsync();

        using var response = await Api.GetRunAsync(OrchRunApiClient.IdOf(created));
        var body = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);

        Assert.That(JsonNode.DeepEquals(body[0], created), Is.True, $"get: {body[0]}\ncreate: {created}");
    }

    [Test]
    public async Task Get_WhenRunWasChanged_CarriesUpdatedAtAsEpochMillisecondsString()
    {
        var (_, created) = await Api.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(created);
        (await Api.CancelRunAsync(runId, runId)).Dispose();

        using var response = await Api.GetRunAsync(runId);
        var run = (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK))[0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["_updatedat"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(StringOf(run, "_updatedat"), Does.Match("^[0-9]{13}$"));
            Assert.That(long.Parse(StringOf(run, "_updatedat"), System.Globalization.CultureInfo.InvariantCulture),
                Is.GreaterThanOrEqualTo(long.Parse(StringOf(run, "_createdat"), System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task Get_WhenIdIsUnknown_Returns404()
    {
        using var response = await Api.GetRunAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Get_WhenRunBelongsToAnotherNamespace_Returns404()
    {
        using var other = Factory.CreateApiClient();
        var (_, run) = await other.CreateOrchestratorAndRunAsync();

        using var response = await Api.GetRunAsync(OrchRunApiClient.IdOf(run));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [TestCase("N")]
    [TestCase("B")]
    [TestCase("D")]
    public async Task Get_WhenIdIsAGuidInAnotherSpelling_ReturnsTheRun(string format)
    {
        var (_, created) = await Api.CreateOrchestratorAndRunAsync();
        var runId = Guid.Parse(OrchRunApiClient.IdOf(created));

        using var response = await Api.GetRunAsync(runId.ToString(format).ToUpperInvariant());

        var runs = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);
        Assert.That(runs[0]!["id"]!.GetValue<string>(), Is.EqualTo(runId.ToString()));
    }

    [TestCase("not-a-guid")]
    [TestCase("12345")]
    [TestCase("b94f4ea3-447d-43a0-9d7f-345d46e1179")]
    public async Task Get_WhenIdIsMalformed_Returns400(string id)
    {
        using var response = await Api.GetRunAsync(id);

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    private static string StringOf(JsonNode node, string name)
    {
        var value = node[name];
        Assert.That(value?.GetValueKind(), Is.EqualTo(JsonValueKind.String), $"{name} is a string in {node}");
        return value!.GetValue<string>();
    }
}
