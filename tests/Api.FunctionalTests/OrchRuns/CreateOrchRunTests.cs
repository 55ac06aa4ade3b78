using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class CreateOrchRunTests : ApiTestBase
{
    [Test]
    public async Task Create_WhenOrchestratorExists_Returns200WithAQueuedRunAndQueuedSteps()
    {
        var orchestrator = await Api.CreateOrchestratorAsync(stepCount: 2);

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(orchestrator));
        var run = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var steps = run["orchrunsteps"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(Guid.TryParse(run["id"]!.GetValue<string>(), out _), Is.True);
            Assert.That(run["_orchid"]!.GetValue<string>(), Is.EqualTo(OrchRunApiClient.IdOf(orchestrator)));
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("QUEUED"));
            Assert.That(run["_namespaces"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { Api.Namespace }));
            Assert.That(run["_createdby"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(run["_createdat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(steps.Select(s => s!["_status"]!.GetValue<string>()), Is.EqualTo(new[] { "QUEUED", "QUEUED" }));
            Assert.That(steps.Select(s => s!["_sequenceno"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(
                steps.Select(s => s!["orchstepid"]!.GetValue<string>()),
                Is.EqualTo(orchestrator["steps"]!.AsArray().Select(s => OrchRunApiClient.IdOf(s!))));
            Assert.That(steps.Select(s => s!["_orchrunid"]!.GetValue<string>()), Is.All.EqualTo(run["id"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task Create_WhenActualParamsGiven_RunParamsAreTheStepDefaultsOverlaidByThem()
    {
        var defaults = new JsonObject { ["iterations"] = 0, ["intervalMs"] = 0, ["label"] = "default" };
        var orchestrator = await Api.CreateOrchestratorAsync(stepCount: 2, stepParams: defaults);
        var secondStepId = OrchRunApiClient.IdOf(orchestrator["steps"]![1]!);
        var actual = new JsonObject { ["iterations"] = 3, ["extra"] = new JsonObject { ["nested"] = true } };

        var run = await Api.CreateRunAsync(
            OrchRunApiClient.IdOf(orchestrator),
            [new JsonObject { ["sequence_type_id"] = secondStepId, ["params"] = actual.DeepClone() }]);

        var steps = run["orchrunsteps"]!.AsArray();
        var expectedRunParams = new JsonObject { ["iterations"] = 3, ["intervalMs"] = 0, ["label"] = "default", ["extra"] = new JsonObject { ["nested"] = true } };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps[0]!["_actualparams"]!.GetValue<string>(), Is.EqualTo("{}"));
            AssertJsonString(steps[0]!["_runparams"]!, defaults);
            AssertJsonString(steps[1]!["_actualparams"]!, actual);
            AssertJsonString(steps[1]!["_runparams"]!, expectedRunParams);
        }
    }

    [Test]
    public async Task Create_WhenTheBodySetsServerOwnedFields_IgnoresThem()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var forgedId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["orchestratorId"] = OrchRunApiClient.IdOf(orchestrator),
            ["_actualparams"] = new JsonArray(),
            ["id"] = forgedId,
            ["_status"] = "COMPLETED",
            ["_createdby"] = "mallory",
            ["_createdat"] = "0",
            ["_namespaces"] = new JsonArray("someone_else"),
        };

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));
        var run = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["id"]!.GetValue<string>(), Is.Not.EqualTo(forgedId));
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("QUEUED"));
            Assert.That(run["_createdby"]!.GetValue<string>(), Is.Not.EqualTo("mallory"));
            Assert.That(run["_createdat"]!.GetValue<string>(), Is.Not.EqualTo("0"));
            Assert.That(run["_namespaces"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { Api.Namespace }));
        }
    }

    [TestCase("_actualParams")]
    [TestCase("_actualparams")]
    [TestCase("_ACTUALPARAMS")]
    public async Task Create_WhenActualParamsPropertyIsSpelledInAnyCase_BindsIt(string propertyName)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
        var body = new JsonObject
        {
            ["orchestratorId"] = OrchRunApiClient.IdOf(orchestrator),
            [propertyName] = new JsonArray(new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["iterations"] = 2 } }),
        };

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));
        var run = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        AssertJsonString(run["orchrunsteps"]![0]!["_actualparams"]!, new JsonObject { ["iterations"] = 2 });
    }

    [Test]
    public async Task Create_WhenOrchestratorIsEditedAfterwards_RunKeepsItsSnapshot()
    {
        var orchestrator = await Api.CreateOrchestratorAsync(name: "before");
        var run = await Api.CreateRunAsync(OrchRunApiClient.IdOf(orchestrator));
        var edited = OrchRunApiClient.OrchestratorBody(name: "after", stepCount: 2);
        (await Api.PutOrchestratorAsync(OrchRunApiClient.IdOf(orchestrator), OrchRunApiClient.Json(edited))).Dispose();

        using var response = await Api.GetRunAsync(OrchRunApiClient.IdOf(run));
        var fetched = (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK))[0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fetched["_name"]!.GetValue<string>(), Is.EqualTo("before"));
            Assert.That(fetched["orchrunsteps"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Create_WhenOrchestratorIsUnknown_Returns400()
    {
        using var response = await Api.PostRunAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsValidationProblemAsync(response, "orchestratorId");
    }

    [Test]
    public async Task Create_WhenOrchestratorBelongsToAnotherNamespace_Returns400()
    {
        using var other = Factory.CreateApiClient();
        var foreign = await other.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(foreign));

        await ProblemAssert.IsValidationProblemAsync(response, "orchestratorId");
        var page = await Api.ListRunsPageAsync();
        Assert.That(page["_total"]!.GetValue<int>(), Is.Zero);
    }

    [TestCase("{\"_actualparams\":[]}")]
    [TestCase("{\"orchestratorId\":null,\"_actualparams\":[]}")]
    [TestCase("{\"orchestratorId\":\"\",\"_actualparams\":[]}")]
    [TestCase("{\"orchestratorId\":\"not-a-guid\",\"_actualparams\":[]}")]
    public async Task Create_WhenOrchestratorIdIsMissingOrMalformed_Returns400(string body)
    {
        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "orchestratorId");
    }

    [Test]
    public async Task Create_WhenActualParamsAreMissing_Returns400()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(new JsonObject { ["orchestratorId"] = OrchRunApiClient.IdOf(orchestrator) }));

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams");
    }

    [Test]
    public async Task Create_WhenSequenceTypeIdIsNotAStepOfTheOrchestrator_Returns400()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var otherOrchestrator = await Api.CreateOrchestratorAsync();
        var foreignStepId = OrchRunApiClient.IdOf(otherOrchestrator["steps"]![0]!);

        using var response = await Api.PostRunAsync(
            OrchRunApiClient.IdOf(orchestrator),
            [new JsonObject { ["sequence_type_id"] = foreignStepId, ["params"] = new JsonObject() }]);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[0].sequence_type_id");
    }

    [TestCase("9a616686-571e-4167-8a70-d180dcd585a9")]
    [TestCase("not-a-guid")]
    public async Task Create_WhenSequenceTypeIdIsUnknown_Returns400(string sequenceTypeId)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(
            OrchRunApiClient.IdOf(orchestrator),
            [new JsonObject { ["sequence_type_id"] = sequenceTypeId, ["params"] = new JsonObject() }]);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[0].sequence_type_id");
    }

    [Test]
    public async Task Create_WhenSequenceTypeIdIsGivenTwice_Returns400()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);

        using var response = await Api.PostRunAsync(
            OrchRunApiClient.IdOf(orchestrator),
            [
                new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["iterations"] = 1 } },
                new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["iterations"] = 2 } },
            ]);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[1].sequence_type_id");
    }

    [Test]
    public async Task Create_WhenSequenceTypeIdIsMissing_Returns400()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(orchestrator), [new JsonObject { ["params"] = new JsonObject() }]);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[0].sequence_type_id");
    }

    [TestCase("[1,2]")]
    [TestCase("\"{}\"")]
    [TestCase("42")]
    [TestCase("true")]
    [TestCase("{\"a\":1,\"a\":2}")]
    [TestCase("{\"s\":\"\\ud800\"}")]
    [TestCase("{\"\\ud800\":1}")]
    public async Task Create_WhenParamsAreNotAJsonObjectOfText_Returns400(string paramsJson)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
        var body = $"{{\"orchestratorId\":\"{OrchRunApiClient.IdOf(orchestrator)}\",\"_actualparams\":[{{\"sequence_type_id\":\"{stepId}\",\"params\":{paramsJson}}}]}}";

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[0].params");
    }

    [Test]
    public async Task Create_WhenAnActualParamsEntryIsNull_Returns400()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(
            OrchRunApiClient.Json($"{{\"orchestratorId\":\"{OrchRunApiClient.IdOf(orchestrator)}\",\"_actualparams\":[null]}}"));

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams[0].sequence_type_id");
    }

    [TestCase("text/plain")]
    [TestCase("application/xml")]
    [TestCase("application/x-www-form-urlencoded")]
    public async Task Create_WhenContentTypeIsNotJson_Returns415(string mediaType)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(OrchRunApiClient.RunBody(OrchRunApiClient.IdOf(orchestrator)).ToJsonString(), mediaType));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Test]
    public async Task Create_WhenBodyHasNoContentType_Returns415()
    {
        using var content = new ByteArrayContent("{}"u8.ToArray());

        using var response = await Api.PostRunAsync(content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [TestCase("{")]
    [TestCase("{\"orchestratorId\":")]
    [TestCase("{garbage}")]
    [TestCase("{\"orchestratorId\":\"x\",}")]
    [TestCase("[]")]
    [TestCase("\"just a string\"")]
    [TestCase("{\"orchestratorId\":42,\"_actualparams\":[]}")]
    [TestCase("{\"orchestratorId\":\"x\",\"_actualparams\":{}}")]
    public async Task Create_WhenBodyIsNotJsonOfTheExpectedShape_Returns400MalformedRequest(string body)
    {
        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
    }

    [Test]
    public async Task Create_WhenBodyIsNotTextInTheDeclaredCharset_Returns400MalformedRequest()
    {
        // Three bytes cannot be UTF-16.
        using var content = new ByteArrayContent("{ }"u8.ToArray());
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=utf-16");

        using var response = await Api.PostRunAsync(content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
    }

    [TestCase("")]
    [TestCase("null")]
    public async Task Create_WhenBodyIsEmptyOrNull_Returns400MalformedRequest(string body)
    {
        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
    }

    private static void AssertJsonString(JsonNode value, JsonNode expected)
    {
        Assert.That(value.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String), $"a JSON-encoded string: {value.ToJsonString()}");
        var parsed = JsonNode.Parse(value.GetValue<string>());
        Assert.That(JsonNode.DeepEquals(parsed, expected), Is.True, $"expected {expected.ToJsonString()}, got {value.GetValue<string>()}");
    }
}
