using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Orchestrators;

public sealed class OrchestratorTests : ApiTestBase
{
    private static readonly string[] OrchestratorProperties = ["id", "_name", "_description", "_namespaces", "_usertype", "_createdat", "steps"];
    private static readonly string[] StepProperties = ["id", "_name", "_compid", "_sequenceno", "_params", "_retries", "_retryDelayMs"];

    [Test]
    public async Task Create_WhenDefinitionIsValid_Returns200WithIdsAssigned()
    {
        var body = OrchRunApiClient.OrchestratorBody(stepCount: 2, stepParams: new JsonObject { ["iterations"] = 1 });

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));
        var created = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var steps = created["steps"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.Select(p => p.Key), Is.EquivalentTo(OrchestratorProperties));
            Assert.That(Guid.TryParse(created["id"]!.GetValue<string>(), out _), Is.True);
            Assert.That(created["_name"]!.GetValue<string>(), Is.EqualTo("Test Instant Orch"));
            Assert.That(created["_usertype"]!.GetValue<string>(), Is.EqualTo("test_instant"));
            Assert.That(created["_namespaces"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { Api.Namespace }));
            Assert.That(created["_createdat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(steps, Has.Count.EqualTo(2));
            Assert.That(steps.Select(s => s!.AsObject().Select(p => p.Key)), Is.All.EquivalentTo(StepProperties));
            Assert.That(steps.Select(s => Guid.TryParse(s!["id"]!.GetValue<string>(), out _)), Is.All.True);
            Assert.That(steps.Select(s => s!["id"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(2));
            Assert.That(steps.Select(s => s!["_compid"]!.GetValue<string>()), Is.All.EqualTo(OrchRunApiClient.TestConnectorComponentId));
            Assert.That(steps.Select(s => s!["_sequenceno"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(steps[0]!["_params"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Object), "_params is an object, not a string");
            Assert.That(JsonNode.DeepEquals(steps[0]!["_params"], new JsonObject { ["iterations"] = 1 }), Is.True);
        }
    }

    [Test]
    public async Task Create_WhenSequenceNumbersAreLeftOut_NumbersStepsByPosition()
    {
        var body = OrchRunApiClient.OrchestratorBody(stepCount: 3);
        foreach (var step in body["steps"]!.AsArray())
        {
            step!.AsObject().Remove("_sequenceno");
        }

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));
        var created = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(created["steps"]!.AsArray().Select(s => s!["_sequenceno"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Create_WhenStepsAreGivenOutOfOrder_ReturnsThemInSequenceOrder()
    {
        var body = OrchRunApiClient.OrchestratorBody(stepCount: 2);
        body["steps"]![0]!["_sequenceno"] = 7;
        body["steps"]![0]!["_name"] = "last";
        body["steps"]![1]!["_sequenceno"] = 3;
        body["steps"]![1]!["_name"] = "first";

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));
        var created = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(created["steps"]!.AsArray().Select(s => s!["_name"]!.GetValue<string>()), Is.EqualTo(new[] { "first", "last" }));
    }

    public static IEnumerable<TestCaseData> InvalidDefinitions()
    {
        yield return Case("{\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "_name", "name missing");
        yield return Case("{\"_name\":\"  \",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "_name", "name blank");
        yield return Case("{\"_name\":\"" + new string('n', 201) + "\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "_name", "name too long");
        yield return Case("{\"_name\":\"x\"}", "steps", "steps missing");
        yield return Case("{\"_name\":\"x\",\"steps\":[]}", "steps", "steps empty");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "steps[0]._name", "step name missing");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\"}]}", "steps[0]._compid", "component missing");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"test_connector\"}]}", "steps[0]._compid", "component not a GUID");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_sequenceno\":0}]}", "steps[0]._sequenceno", "sequence 0");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_sequenceno\":-1}]}", "steps[0]._sequenceno", "sequence negative");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_params\":[1]}]}", "steps[0]._params", "params an array");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_params\":\"{}\"}]}", "steps[0]._params", "params a string");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_params\":{\"k\":1,\"k\":2}}]}", "steps[0]._params", "params repeat a name");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_params\":{\"s\":\"\\ud800\"}}]}", "steps[0]._params", "params hold an unpaired surrogate");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_params\":{\"\\ud800\":1}}]}", "steps[0]._params", "a params key holds an unpaired surrogate");
        yield return Case("{\"_name\":\"x\",\"steps\":[null]}", "steps[0]._name", "null step");
        yield return Case(
            "{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_sequenceno\":1},{\"_name\":\"b\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\",\"_sequenceno\":1}]}",
            "steps",
            "duplicate sequence numbers");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"id\":\"step-1\",\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "steps[0].id", "step id not a GUID");
        yield return Case("{\"_name\":\"x\",\"steps\":[{\"id\":\"" + Guid.NewGuid() + "\",\"_name\":\"a\",\"_compid\":\"" + OrchRunApiClient.TestConnectorComponentId + "\"}]}", "steps[0]", "step id on create");

        static TestCaseData Case(string body, string field, string name) => new TestCaseData(body, field).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(InvalidDefinitions))]
    public async Task Create_WhenDefinitionIsInvalid_Returns400WithAnErrorForTheField(string body, string field)
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        var page = await Api.ListOrchestratorsAsync();
        Assert.That((await OrchRunApiClient.ReadObjectAsync(page, HttpStatusCode.OK))["_total"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Create_WhenContentTypeIsNotJson_Returns415()
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody().ToJsonString(), "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Test]
    public async Task Create_WhenBodyIsMalformedJson_Returns400MalformedRequest()
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json("{\"_name\":\"x\",\"steps\":[{]}"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
    }

    [Test]
    public async Task Get_WhenOrchestratorExists_ReturnsItAsAPlainObject()
    {
        var created = await Api.CreateOrchestratorAsync();

        using var response = await Api.GetOrchestratorAsync(OrchRunApiClient.IdOf(created));
        var fetched = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(JsonNode.DeepEquals(fetched, created), Is.True, $"get: {fetched}\ncreate: {created}");
    }

    [Test]
    public async Task Get_WhenOrchestratorIsUnknown_Returns404()
    {
        using var response = await Api.GetOrchestratorAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Get_WhenOrchestratorBelongsToAnotherNamespace_Returns404()
    {
        using var other = Factory.CreateApiClient();
        var foreign = await other.CreateOrchestratorAsync();

        using var response = await Api.GetOrchestratorAsync(OrchRunApiClient.IdOf(foreign));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Get_WhenIdIsMalformed_Returns400()
    {
        using var response = await Api.GetOrchestratorAsync("not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    [Test]
    public async Task List_WhenOrchestratorsExist_ReturnsEnvelopeNewestFirstWithPaging()
    {
        using var other = Factory.CreateApiClient();
        await other.CreateOrchestratorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync(name: $"o{i}")));
        }

        using var all = await Api.ListOrchestratorsAsync();
        var page = await OrchRunApiClient.ReadObjectAsync(all, HttpStatusCode.OK);
        using var second = await Api.ListOrchestratorsAsync("_pageSize=2&_offset=2");
        var secondPage = await OrchRunApiClient.ReadObjectAsync(second, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Select(p => p.Key), Is.EqualTo(new[] { "_offset", "_pageSize", "_total", "_list" }));
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(page["_list"]!.AsArray().Select(o => OrchRunApiClient.IdOf(o!)), Is.EqualTo(ids.AsEnumerable().Reverse()));
            Assert.That(secondPage["_offset"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(secondPage["_pageSize"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(secondPage["_list"]!.AsArray().Select(o => OrchRunApiClient.IdOf(o!)), Is.EqualTo(new[] { ids[0] }));
        }
    }

    [TestCase("_pageSize=0", "_pageSize")]
    [TestCase("_pageSize=1001", "_pageSize")]
    [TestCase("_offset=-1", "_offset")]
    [TestCase("_offset=x", "_offset")]
    [TestCase("_pageSize=1&_pageSize=2", "_pageSize")]
    public async Task List_WhenPagingIsInvalid_Returns400(string query, string field)
    {
        using var response = await Api.ListOrchestratorsAsync(query);

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task Update_WhenStepIdsAreGiven_KeepsThoseStepsAndAddsNewOnes()
    {
        var created = await Api.CreateOrchestratorAsync(stepCount: 2);
        var id = OrchRunApiClient.IdOf(created);
        var keptStepId = OrchRunApiClient.IdOf(created["steps"]![1]!);
        var body = new JsonObject
        {
            ["id"] = id,
            ["_name"] = "renamed",
            ["_description"] = "new description",
            ["steps"] = new JsonArray(
                new JsonObject { ["id"] = keptStepId, ["_name"] = "kept", ["_compid"] = OrchRunApiClient.TestConnectorComponentId, ["_sequenceno"] = 1 },
                new JsonObject { ["_name"] = "added", ["_compid"] = OrchRunApiClient.TestConnectorComponentId, ["_sequenceno"] = 2, ["_params"] = new JsonObject { ["iterations"] = 0 } }),
        };

        using var response = await Api.PutOrchestratorAsync(id, OrchRunApiClient.Json(body));
        var updated = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var steps = updated["steps"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated["id"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(updated["_name"]!.GetValue<string>(), Is.EqualTo("renamed"));
            Assert.That(updated["_description"]!.GetValue<string>(), Is.EqualTo("new description"));
            Assert.That(updated["_updatedat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(updated["_createdat"]!.GetValue<string>(), Is.EqualTo(created["_createdat"]!.GetValue<string>()));
            Assert.That(steps.Select(s => s!["_name"]!.GetValue<string>()), Is.EqualTo(new[] { "kept", "added" }));
            Assert.That(OrchRunApiClient.IdOf(steps[0]!), Is.EqualTo(keptStepId));
            Assert.That(
                OrchRunApiClient.IdOf(steps[1]!),
                Is.Not.AnyOf(created["steps"]!.AsArray().Select(s => (object)OrchRunApiClient.IdOf(s!)).ToArray()),
                "a step without id is new");
        }

        using var get = await Api.GetOrchestratorAsync(id);
        Assert.That(JsonNode.DeepEquals(await OrchRunApiClient.ReadObjectAsync(get, HttpStatusCode.OK), updated), Is.True, "the update is stored");
    }

    [Test]
    public async Task Update_WhenAStepIdIsNotOfThisOrchestrator_Returns400()
    {
        var created = await Api.CreateOrchestratorAsync();
        var other = await Api.CreateOrchestratorAsync();
        var body = OrchRunApiClient.OrchestratorBody();
        body["steps"]![0]!["id"] = OrchRunApiClient.IdOf(other["steps"]![0]!);

        using var response = await Api.PutOrchestratorAsync(OrchRunApiClient.IdOf(created), OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "steps");
    }

    [Test]
    public async Task Update_WhenBodyIdDiffersFromPathId_Returns400()
    {
        var created = await Api.CreateOrchestratorAsync();
        var body = OrchRunApiClient.OrchestratorBody();
        body["id"] = Guid.NewGuid().ToString();

        using var response = await Api.PutOrchestratorAsync(OrchRunApiClient.IdOf(created), OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "body.id");
    }

    [Test]
    public async Task Update_WhenDefinitionIsInvalid_Returns400AndKeepsTheOldOne()
    {
        var created = await Api.CreateOrchestratorAsync();
        var id = OrchRunApiClient.IdOf(created);

        using var response = await Api.PutOrchestratorAsync(id, OrchRunApiClient.Json("{\"_name\":\"x\",\"steps\":[]}"));

        await ProblemAssert.IsValidationProblemAsync(response, "steps");
        using var get = await Api.GetOrchestratorAsync(id);
        Assert.That(JsonNode.DeepEquals(await OrchRunApiClient.ReadObjectAsync(get, HttpStatusCode.OK), created), Is.True);
    }

    [Test]
    public async Task Update_WhenOrchestratorIsUnknown_Returns404()
    {
        using var response = await Api.PutOrchestratorAsync(Guid.NewGuid().ToString(), OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody()));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Update_WhenOrchestratorBelongsToAnotherNamespace_Returns404()
    {
        using var other = Factory.CreateApiClient();
        var foreign = await other.CreateOrchestratorAsync();

        using var response = await Api.PutOrchestratorAsync(OrchRunApiClient.IdOf(foreign), OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody(name: "hijacked")));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        using var get = await other.GetOrchestratorAsync(OrchRunApiClient.IdOf(foreign));
        Assert.That((await OrchRunApiClient.ReadObjectAsync(get, HttpStatusCode.OK))["_name"]!.GetValue<string>(), Is.EqualTo("Test Instant Orch"));
    }

    [Test]
    public async Task Update_WhenContentTypeIsNotJson_Returns415()
    {
        var created = await Api.CreateOrchestratorAsync();

        using var response = await Api.PutOrchestratorAsync(
            OrchRunApiClient.IdOf(created),
            OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody().ToJsonString(), "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Test]
    public async Task Delete_WhenOrchestratorExists_Returns204ThenItIsGoneButItsRunsStay()
    {
        var (orchestrator, run) = await Api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(orchestrator);

        using var response = await Api.DeleteOrchestratorAsync(id);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var get = await Api.GetOrchestratorAsync(id);
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "not-found");
        using var getRun = await Api.GetRunAsync(OrchRunApiClient.IdOf(run));
        Assert.That(getRun.StatusCode, Is.EqualTo(HttpStatusCode.OK), "runs keep their snapshot");
        using var again = await Api.DeleteOrchestratorAsync(id);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Delete_WhenOrchestratorBelongsToAnotherNamespace_Returns404()
    {
        using var other = Factory.CreateApiClient();
        var foreign = await other.CreateOrchestratorAsync();

        using var response = await Api.DeleteOrchestratorAsync(OrchRunApiClient.IdOf(foreign));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        using var get = await other.GetOrchestratorAsync(OrchRunApiClient.IdOf(foreign));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Delete_WhenIdIsMalformed_Returns400()
    {
        using var response = await Api.DeleteOrchestratorAsync("not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }
}
