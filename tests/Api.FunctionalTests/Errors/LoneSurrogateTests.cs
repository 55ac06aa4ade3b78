using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.BeyondTheSeed;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.Errors;

/// <summary>
/// Client JSON whose keys or strings escape half of a UTF-16 surrogate pair (<c>"\ud800"</c>)
/// parses, but is no text: System.Text.Json throws when it later reads such a key or string (its
/// duplicate-key check reads every key). Every entry point that takes client JSON answers 400 with
/// an error for the field, at any depth, and stores nothing; well-formed exotic text (pairs,
/// noncharacters, odd escapes) is stored as given.
/// </summary>
public sealed class LoneSurrogateTests : ApiTestBase
{
    private const string ParamsError = "_actualparams[0].params";
    private const string StepParamsError = "steps[0]._params";

    /// <summary>Parameter objects with a lone surrogate half in a key or a string, at depths 1 to 40.</summary>
    public static IEnumerable<TestCaseData> LoneSurrogateParams()
    {
        yield return Case("{\"\\ud800\":1}", "key, high half (fuzz seed 7191372825634450017)");
        yield return Case("{\"\\udc00\":1}", "key, low half");
        yield return Case("{\"\\uDBFF\":1}", "key, high half in uppercase hex");
        yield return Case("{\"a\\udfffb\":1}", "key, low half between letters");
        yield return Case("{\"\\udc00\\ud800\":1}", "key, halves in the wrong order");
        yield return Case("{\"\\ud800\\u0041\":1}", "key, high half before a letter escape");
        yield return Case("{\"\\ud800\":1,\"\\ud800\":2}", "key, the same lone half twice");
        yield return Case("{\"ok\":1,\"\\/\\ud800\":2}", "key, after an escaped solidus");
        yield return Case("{\"a\":{\"\\ud800\":1}}", "key at depth 2");
        yield return Case("{\"a\":[{\"b\":{\"\\udfff\":1}}]}", "key at depth 4, inside an array");
        yield return Case(Nested(25, "{\"\\udbff\":1}"), "key at depth 26");
        yield return Case("{\"a\":\"\\ud800\"}", "string, high half");
        yield return Case("{\"a\":\"x\\udc00\"}", "string, low half");
        yield return Case("{\"a\":{\"b\":[\"x\",\"\\uDC00\\uD800\"]}}", "string at depth 3, halves in the wrong order");
        yield return Case(Nested(25, "{\"s\":\"\\ud800\"}"), "string at depth 26");

        static TestCaseData Case(string json, string name) => new TestCaseData(json).SetArgDisplayNames(name);
    }

    /// <summary>Keys and strings that look odd but are text: they are stored as given.</summary>
    private const string ExoticButWellFormedParams =
        "{\"\\ud83d\\ude00\":\"\\uD83D\\uDE00\",\"\\uffff\":\"\\ufffe\",\"\\ufdd0\":\"\\uFDEF\",\"\\u0000\":\"\\/\",\"\\\\ud800\":\"\\\\udc00\",\"n\":{\"\\uDBFF\\uDFFF\":[\"\\u0041\"]}}";

    [TestCaseSource(nameof(LoneSurrogateParams))]
    public async Task CreateRun_WhenParamsHoldALoneSurrogate_Returns400ForTheParamsAndStoresNoRun(string parameters)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(RunBody(orchestrator, parameters)));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, ParamsError);
        Assert.That(problem["errors"]![ParamsError]![0]!.GetValue<string>(), Does.Contain("surrogate"));
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    /// <summary>The request the fuzzer found (seed 7191372825634450017), byte for byte: it was a 500.</summary>
    [Test]
    public async Task CreateRun_WhenParamsKeyIsALoneHighSurrogate_Returns400_FuzzSeed7191372825634450017()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(RunBody(orchestrator, "{\"\\ud800\":1}")));

        await ProblemAssert.IsValidationProblemAsync(response, ParamsError);
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task CreateRun_WhenIdempotencyKeyIsGivenAndParamsHoldALoneSurrogate_Returns400AndTheKeyStaysFree()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using (var refused = await PostRunWithKeyAsync("key-1", RunBody(orchestrator, "{\"a\":{\"\\ud800\":1}}")))
        {
            await ProblemAssert.IsValidationProblemAsync(refused, ParamsError);
        }

        using var accepted = await PostRunWithKeyAsync("key-1", RunBody(orchestrator, "{\"a\":{\"b\":1}}"));
        await OrchRunApiClient.ReadObjectAsync(accepted, HttpStatusCode.OK);
        Assert.That(await Api.CountRunsAsync(), Is.EqualTo(1));
    }

    [TestCaseSource(nameof(LoneSurrogateParams))]
    public async Task CreateOrchestrator_WhenStepParamsHoldALoneSurrogate_Returns400ForTheParamsAndStoresNothing(string parameters)
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(DefinitionWithParams(parameters)));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, StepParamsError);
        Assert.That(problem["errors"]![StepParamsError]![0]!.GetValue<string>(), Does.Contain("surrogate"));
        using var page = await Api.ListOrchestratorsAsync();
        Assert.That((await OrchRunApiClient.ReadObjectAsync(page, HttpStatusCode.OK))["_total"]!.GetValue<int>(), Is.Zero);
    }

    /// <summary>The http_request connector reads header names when an orchestrator is saved; a lone half there must not reach it.</summary>
    [TestCase("{\"url\":\"https://example.test/\",\"headers\":{\"\\ud800\":\"x\"}}")]
    [TestCase("{\"url\":\"https://example.test/\",\"headers\":{\"X-A\":\"\\udc00\"}}")]
    public async Task CreateOrchestrator_WhenHttpRequestHeadersHoldALoneSurrogate_Returns400ForTheParams(string parameters)
    {
        var definition = "{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d\",\"_params\":" + parameters + "}]}";

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(definition));

        await ProblemAssert.IsValidationProblemAsync(response, StepParamsError);
    }

    [TestCaseSource(nameof(LoneSurrogateParams))]
    public async Task UpdateOrchestrator_WhenStepParamsHoldALoneSurrogate_Returns400AndLeavesTheOrchestratorAsItWas(string parameters)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var id = OrchRunApiClient.IdOf(orchestrator);

        using var response = await Api.PutOrchestratorAsync(id, OrchRunApiClient.Json(DefinitionWithParams(parameters)));

        await ProblemAssert.IsValidationProblemAsync(response, StepParamsError);
        using var get = await Api.GetOrchestratorAsync(id);
        var after = await OrchRunApiClient.ReadObjectAsync(get, HttpStatusCode.OK);
        Assert.That(JsonNode.DeepEquals(after, orchestrator), Is.True, $"before: {orchestrator}\nafter: {after}");
    }

    [Test]
    public async Task CreateRun_WhenParamsHoldSurrogatePairsNoncharactersAndOddEscapes_StoresThemAsText()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(RunBody(orchestrator, ExoticButWellFormedParams)));

        var run = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        var stored = JsonNode.Parse(run["orchrunsteps"]![0]!["_actualparams"]!.GetValue<string>());
        Assert.That(JsonNode.DeepEquals(stored, JsonNode.Parse(ExoticButWellFormedParams)), Is.True, stored?.ToJsonString());
    }

    [Test]
    public async Task CreateOrchestrator_WhenStepParamsHoldSurrogatePairsNoncharactersAndOddEscapes_StoresThemAsText()
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(DefinitionWithParams(ExoticButWellFormedParams)));

        var created = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        Assert.That(JsonNode.DeepEquals(created["steps"]![0]!["_params"], JsonNode.Parse(ExoticButWellFormedParams)), Is.True, created.ToJsonString());
    }

    /// <summary>A rerun reads no client JSON but the source run's stored parameters, which went through the same check.</summary>
    [Test]
    public async Task Rerun_WhenTheSourceParamsHoldSurrogatePairsAndNoncharacters_CopiesThemAsText()
    {
        var orchestrator = await Api.CreateOrchestratorAsync(stepParams: JsonNode.Parse(ExoticButWellFormedParams)!.AsObject());
        using var created = await Api.PostRunAsync(OrchRunApiClient.Json(RunBody(orchestrator, ExoticButWellFormedParams)));
        var source = await OrchRunApiClient.ReadObjectAsync(created, HttpStatusCode.OK);
        await Factory.SetRunStatusAsync(OrchRunApiClient.IdOf(source), OrchRunStatus.Failed);

        using var response = await Api.PostRerunAsync(OrchRunApiClient.IdOf(source), "first");

        var rerun = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun["orchrunsteps"]![0]!["_actualparams"]!.GetValue<string>(), Is.EqualTo(source["orchrunsteps"]![0]!["_actualparams"]!.GetValue<string>()));
            Assert.That(rerun["orchrunsteps"]![0]!["_runparams"]!.GetValue<string>(), Is.EqualTo(source["orchrunsteps"]![0]!["_runparams"]!.GetValue<string>()));
        }
    }

    /// <summary>Keys that are the same once unescaped are repeated keys (a non-strict parse would later throw ArgumentException).</summary>
    [TestCase("{\"a\":1,\"\\u0061\":2}")]
    [TestCase("{\"\\ud83d\\ude00\":1,\"\U0001F600\":2}")]
    [TestCase("{\"n\":{\"\\/\":1,\"/\":2}}")]
    public async Task CreateRun_WhenParamsRepeatAKeySpelledWithEscapes_Returns400ForTheParamsAndStoresNoRun(string parameters)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(RunBody(orchestrator, parameters)));

        await ProblemAssert.IsValidationProblemAsync(response, ParamsError);
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    [TestCase("{\"a\":1,\"\\u0061\":2}")]
    [TestCase("{\"n\":{\"\\/\":1,\"/\":2}}")]
    public async Task CreateOrchestrator_WhenStepParamsRepeatAKeySpelledWithEscapes_Returns400ForTheParams(string parameters)
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(DefinitionWithParams(parameters)));

        await ProblemAssert.IsValidationProblemAsync(response, StepParamsError);
    }

    public static IEnumerable<TestCaseData> EndpointsWithAnId() =>
        Endpoints.All.Where(e => e.HasId).Select(e => new TestCaseData(e).SetArgDisplayNames(e.Name));

    /// <summary>Path ids are client text as well: percent-encoded surrogate halves are no id.</summary>
    [TestCaseSource(nameof(EndpointsWithAnId))]
    public async Task Request_WhenThePathIdIsAnEncodedSurrogateHalf_Returns400ForTheId(Endpoint endpoint)
    {
        using var request = new HttpRequestMessage(endpoint.Method, Api.Url(endpoint.Path("%ED%A0%80")));
        if (endpoint.HasBody)
        {
            request.Content = OrchRunApiClient.Json(endpoint.Name == "CancelRun" ? "{}" : DefinitionWithParams("{}"));
        }

        using var response = await Api.Http.SendAsync(request);

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    /// <summary>Outside the parameters, a lone surrogate in a key or a string the service binds is a malformed body.</summary>
    [TestCase("{\"\\ud800\":1,\"orchestratorId\":\"@orch\",\"_actualparams\":[]}", TestName = "CreateRun_WhenAnUnknownTopLevelKeyIsALoneSurrogate_Returns400MalformedRequest")]
    [TestCase("{\"orchestratorId\":\"@orch\",\"_actualparams\":[{\"sequence_type_id\":\"@step\",\"\\udc00\":1,\"params\":{}}]}", TestName = "CreateRun_WhenAnUnknownEntryKeyIsALoneSurrogate_Returns400MalformedRequest")]
    [TestCase("{\"orchestratorId\":\"@orch\",\"_actualparams\":[{\"sequence_type_id\":\"\\ud800\",\"params\":{}}]}", TestName = "CreateRun_WhenSequenceTypeIdIsALoneSurrogate_Returns400MalformedRequest")]
    public async Task CreateRun_WhenABoundKeyOrStringHoldsALoneSurrogate_Returns400MalformedRequest(string template)
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await Api.PostRunAsync(OrchRunApiClient.Json(Fill(template, orchestrator)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    [TestCase("{\"\\ud800\":1,\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"@comp\"}]}", TestName = "CreateOrchestrator_WhenAnUnknownTopLevelKeyIsALoneSurrogate_Returns400MalformedRequest")]
    [TestCase("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"\\udfff\":1,\"_compid\":\"@comp\"}]}", TestName = "CreateOrchestrator_WhenAnUnknownStepKeyIsALoneSurrogate_Returns400MalformedRequest")]
    [TestCase("{\"_name\":\"x\",\"_description\":\"\\udc00\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"@comp\"}]}", TestName = "CreateOrchestrator_WhenTheDescriptionIsALoneSurrogate_Returns400MalformedRequest")]
    public async Task CreateOrchestrator_WhenABoundKeyOrStringHoldsALoneSurrogate_Returns400MalformedRequest(string template)
    {
        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(Fill(template, null)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        using var page = await Api.ListOrchestratorsAsync();
        Assert.That((await OrchRunApiClient.ReadObjectAsync(page, HttpStatusCode.OK))["_total"]!.GetValue<int>(), Is.Zero);
    }

    [TestCase("{\"\\ud800\":1}")]
    [TestCase("{\"id\":\"\\udc00\"}")]
    public async Task CancelRun_WhenTheBodyHoldsALoneSurrogate_Returns400MalformedRequestAndTheRunStaysQueued(string body)
    {
        var (_, run) = await Api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(run);

        using var response = await Api.Http.PutAsync(Api.Url($"{OrchRunApiClient.RunsPath}/{id}"), OrchRunApiClient.Json(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        Assert.That(Runs.StatusOf(await Api.GetRunObjectAsync(id)), Is.EqualTo("QUEUED"));
    }

    /// <summary>Header values are strings in memory; a lone surrogate in one is refused by the key rule, not stored.</summary>
    [Test]
    public async Task CreateRun_WhenIdempotencyKeyHoldsALoneSurrogate_Returns400ForTheKey()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();

        using var response = await PostRunWithKeyAsync("k\ud800", RunBody(orchestrator, "{}"));

        await ProblemAssert.IsValidationProblemAsync(response, "Idempotency-Key");
        Assert.That(await Api.CountRunsAsync(), Is.Zero);
    }

    /// <summary>Percent-encoded surrogate halves (CESU-8 bytes) are no UTF-8; query parameters carrying them are invalid values.</summary>
    [TestCase("_status=%ED%A0%80", "_status")]
    [TestCase("startDate=%ED%B0%80", "startDate")]
    [TestCase("endDate=2024-01-01%ED%A0%80", "endDate")]
    public async Task ListRuns_WhenAQueryParameterHoldsAnEncodedSurrogateHalf_Returns400ForIt(string query, string field)
    {
        using var response = await Api.ListRunsAsync(query);

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task Request_WhenNsfilterHoldsAnEncodedSurrogateHalf_Returns400ForNsfilter()
    {
        using var response = await Api.Http.GetAsync($"{OrchRunApiClient.RunsPath}?nsfilter=ns%ED%A0%80");

        await ProblemAssert.IsValidationProblemAsync(response, "nsfilter");
    }

    /// <summary>
    /// A bearer token is client text too, and is parsed before its signature is checked. Claims
    /// with lone surrogates, signed or not, must not get past authentication or break it.
    /// </summary>
    [TestCase("{\"\\ud800\":1,\"sub\":\"mallory\",\"ns\":\"*\"}", false, TestName = "Request_WhenAnUnsignedTokenHasALoneSurrogateClaimName_Returns401")]
    [TestCase("{\"sub\":\"\\ud800\",\"ns\":\"*\"}", false, TestName = "Request_WhenAnUnsignedTokenHasALoneSurrogateSubject_Returns401")]
    [TestCase("{\"\\ud800\":1,\"sub\":\"mallory\",\"ns\":\"*\"}", true, TestName = "Request_WhenASignedTokenHasALoneSurrogateClaimName_Returns401")]
    [TestCase("{\"sub\":\"\\udc00\",\"ns\":\"*\"}", true, TestName = "Request_WhenASignedTokenHasALoneSurrogateSubject_Returns401")]
    public async Task Request_WhenTheTokenHoldsALoneSurrogate_Returns401(string claims, bool signed)
    {
        await AssertUnauthorizedAsync(Token(Encoding.UTF8.GetBytes(claims), signed));
    }

    /// <summary>A surrogate half written as UTF-8 bytes (ED A0 80, as CESU-8 would) is no UTF-8: the token is unreadable.</summary>
    [Test]
    public async Task Request_WhenASignedTokenHasASubjectInCesu8Bytes_Returns401()
    {
        byte[] claims = [.. "{\"sub\":\"a"u8, 0xED, 0xA0, 0x80, .. "\",\"ns\":\"*\"}"u8];

        await AssertUnauthorizedAsync(Token(claims, signed: true));
    }

    private async Task AssertUnauthorizedAsync(string token)
    {
        using var http = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Url(OrchRunApiClient.RunsPath));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    /// <summary>A JWT of <paramref name="claims"/> (a JSON object as bytes) with the test issuer, audience and an hour's lifetime.</summary>
    private static string Token(byte[] claims, bool signed)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        byte[] payload = [.. claims[..^1], .. Encoding.UTF8.GetBytes(
            $",\"iss\":\"{OrchRunApiFactory.Auth.Issuer}\",\"aud\":\"{OrchRunApiFactory.Auth.Audience}\",\"iat\":{now},\"nbf\":{now},\"exp\":{now + 3600}}}")];
        var unsigned = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray()) + "." + Base64Url(payload);
        var signature = signed
            ? HMACSHA256.HashData(Encoding.UTF8.GetBytes(OrchRunApiFactory.Auth.SigningKey!), Encoding.ASCII.GetBytes(unsigned))
            : new byte[32];
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Nested(int depth, string inner) =>
        string.Concat(Enumerable.Repeat("{\"n\":", depth)) + inner + new string('}', depth);

    private static string RunBody(JsonObject orchestrator, string parameters) =>
        Fill("{\"orchestratorId\":\"@orch\",\"_actualparams\":[{\"sequence_type_id\":\"@step\",\"params\":" + parameters + "}]}", orchestrator);

    /// <summary>POST /orchrun with an Idempotency-Key header and a body given as text (a JsonNode cannot hold a lone surrogate).</summary>
    private async Task<HttpResponseMessage> PostRunWithKeyAsync(string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Url(OrchRunApiClient.RunsPath)) { Content = OrchRunApiClient.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await Api.Http.SendAsync(request);
    }

    private static string DefinitionWithParams(string parameters) =>
        Fill("{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"@comp\",\"_params\":" + parameters + "}]}", null);

    private static string Fill(string template, JsonObject? orchestrator) => template
        .Replace("@orch", orchestrator is null ? string.Empty : OrchRunApiClient.IdOf(orchestrator), StringComparison.Ordinal)
        .Replace("@step", orchestrator is null ? string.Empty : OrchRunApiClient.IdOf(orchestrator["steps"]![0]!), StringComparison.Ordinal)
        .Replace("@comp", OrchRunApiClient.TestConnectorComponentId, StringComparison.Ordinal);
}
