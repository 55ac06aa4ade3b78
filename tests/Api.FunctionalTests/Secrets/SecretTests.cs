using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Secrets;

/// <summary>The namespace secrets resource over HTTP: write-only, scoped, validated.</summary>
public sealed class SecretTests : ApiTestBase
{
    private const string SecretsPath = OrchRunApiClient.BasePath + "/secret";

    private static readonly string[] SecretProperties = ["_name", "_createdat"];

    [Test]
    public async Task Put_WhenTheSecretIsNew_Returns201WithNameAndCreationTimeButNoValue()
    {
        var value = Distinctive();

        using var response = await PutAsync("api-token", value);
        var text = await response.Content.ReadAsStringAsync();
        var created = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.Created);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.Select(p => p.Key), Is.EquivalentTo(SecretProperties));
            Assert.That(created["_name"]!.GetValue<string>(), Is.EqualTo("api-token"));
            Assert.That(created["_createdat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(text, Does.Not.Contain(value));
        }
    }

    [Test]
    public async Task Put_WhenTheSecretExists_Returns200AndReplacesTheValueKeepingTheCreationTime()
    {
        using var first = await PutAsync("api-token", Distinctive());
        var created = await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.Created);
        var newValue = Distinctive();

        using var second = await PutAsync("api-token", newValue);
        var replaced = await OrchRunApiClient.ReadObjectAsync(second, HttpStatusCode.OK);

        var stored = await StoredAsync("api-token");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replaced["_createdat"]!.GetValue<string>(), Is.EqualTo(created["_createdat"]!.GetValue<string>()));
            Assert.That(replaced["_updatedat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(stored, Is.Not.Null.And.Not.Contain(newValue), "stored encrypted");
        }
    }

    [Test]
    public async Task Get_WhenTheSecretExists_ShowsNameAndTimesOnly()
    {
        var value = Distinctive();
        (await PutAsync("db.password", value)).Dispose();

        using var response = await Api.Http.GetAsync(Api.Url($"{SecretsPath}/db.password"));
        var text = await response.Content.ReadAsStringAsync();
        var secret = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(secret.Select(p => p.Key), Is.EquivalentTo(SecretProperties));
        Assert.That(text, Does.Not.Contain(value));
    }

    [Test]
    public async Task List_WhenTheNamespaceHasSecrets_PagesThemByNameWithTheTotalAndNoValues()
    {
        var values = new List<string>();
        foreach (var name in new[] { "c", "a", "d", "b" })
        {
            var value = Distinctive();
            values.Add(value);
            (await PutAsync(name, value)).Dispose();
        }

        using var response = await Api.Http.GetAsync(Api.Url(SecretsPath, "_pageSize=2&_offset=1"));
        var text = await response.Content.ReadAsStringAsync();
        var page = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(page["_offset"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(page["_pageSize"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(page["_list"]!.AsArray().Select(s => s!["_name"]!.GetValue<string>()), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(values.Where(text.Contains), Is.Empty);
        }
    }

    [Test]
    public async Task Delete_WhenTheSecretExists_Returns204AndItIsGone()
    {
        (await PutAsync("gone", Distinctive())).Dispose();

        using var deleted = await Api.Http.DeleteAsync(Api.Url($"{SecretsPath}/gone"));
        using var get = await Api.Http.GetAsync(Api.Url($"{SecretsPath}/gone"));
        using var again = await Api.Http.DeleteAsync(Api.Url($"{SecretsPath}/gone"));

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "not-found");
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task EveryEndpoint_WhenTheSecretBelongsToAnotherNamespace_ActsAsIfItDidNotExist()
    {
        (await PutAsync("shared-name", Distinctive())).Dispose();
        using var other = Factory.CreateApiClient();

        using var get = await other.Http.GetAsync(other.Url($"{SecretsPath}/shared-name"));
        using var delete = await other.Http.DeleteAsync(other.Url($"{SecretsPath}/shared-name"));
        using var list = await other.Http.GetAsync(other.Url(SecretsPath));
        var page = await OrchRunApiClient.ReadObjectAsync(list, HttpStatusCode.OK);

        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "not-found");
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound, "not-found");
        Assert.That(page["_total"]!.GetValue<int>(), Is.Zero);
        Assert.That(await StoredAsync("shared-name"), Is.Not.Null, "the owner's secret is untouched");
    }

    [TestCase("GET", "")]
    [TestCase("GET", "/a")]
    [TestCase("PUT", "/a")]
    [TestCase("DELETE", "/a")]
    public async Task Request_WhenTheTokenDoesNotGrantTheNamespace_Is403(string method, string suffix)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Url(SecretsPath + suffix));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OrchRunApiFactory.TokenFor("mallory", "some_other_ns"));
        if (method == "PUT")
        {
            request.Content = OrchRunApiClient.Json("""{"_value":"x"}""");
        }

        using var response = await Api.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [TestCase("GET", "")]
    [TestCase("GET", "/a")]
    [TestCase("PUT", "/a")]
    [TestCase("DELETE", "/a")]
    public async Task Request_WithoutAToken_Is401(string method, string suffix)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Url(SecretsPath + suffix));
        if (method == "PUT")
        {
            request.Content = OrchRunApiClient.Json("""{"_value":"x"}""");
        }

        using var http = Factory.Server.CreateClient();
        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [TestCase("GET", "")]
    [TestCase("GET", "/a")]
    [TestCase("PUT", "/a")]
    [TestCase("DELETE", "/a")]
    public async Task Request_WhenNsfilterIsMissingOrMalformed_Returns400ForNsfilter(string method, string suffix)
    {
        foreach (var query in new[] { string.Empty, "?nsfilter=", "?nsfilter=ns%2Fx" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), SecretsPath + suffix + query);
            if (method == "PUT")
            {
                request.Content = OrchRunApiClient.Json("""{"_value":"x"}""");
            }

            using var response = await Api.Http.SendAsync(request);

            await ProblemAssert.IsValidationProblemAsync(response, "nsfilter");
        }
    }

    [TestCase("has%20space", """{"_value":"v"}""", "name")]
    [TestCase("-leading-dash", """{"_value":"v"}""", "name")]
    [TestCase("ok", """{}""", "_value")]
    [TestCase("ok", """{"_value":""}""", "_value")]
    [TestCase("ok", """{"_value":null}""", "_value")]
    public async Task Put_WhenTheNameOrValueIsInvalid_Returns400ForThatField(string name, string body, string field)
    {
        using var response = await Api.Http.PutAsync(Api.Url($"{SecretsPath}/{name}"), OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task Put_WhenTheNameIsOneTooLong_Returns400ForTheName()
    {
        using var response = await PutAsync(new string('n', 129), "v");

        await ProblemAssert.IsValidationProblemAsync(response, "name");
    }

    [Test]
    public async Task Put_WhenTheValueIsOneCharacterTooLong_Returns400ForTheValue()
    {
        using var response = await PutAsync("big", new string('v', 8193));

        await ProblemAssert.IsValidationProblemAsync(response, "_value");
    }

    [Test]
    public async Task Put_WhenTheValueIsNotAString_Returns400WithoutEchoingIt()
    {
        using var response = await Api.Http.PutAsync(Api.Url($"{SecretsPath}/typed"), OrchRunApiClient.Json("""{"_value":{"nested":"value-777"}}"""));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Not.Contain("value-777"));
    }

    [TestCase("""{"headers":{"Authorization":{"$secret":42}}}""")]
    [TestCase("""{"headers":{"Authorization":{"$secret":"no spaces allowed"}}}""")]
    [TestCase("""{"headers":{"Authorization":{"$secret":"a","extra":1}}}""")]
    public async Task CreateOrchestrator_WhenAStepHasAMalformedSecretReference_Returns400ForItsParams(string parameters)
    {
        var body = OrchRunApiClient.OrchestratorBody(stepParams: JsonNode.Parse(parameters)!.AsObject());

        using var response = await Api.PostOrchestratorAsync(OrchRunApiClient.Json(body));

        await ProblemAssert.IsValidationProblemAsync(response, "steps[0]._params");
    }

    [Test]
    public async Task CreateRun_WhenActualParamsHoldAMalformedSecretReference_Returns400ForActualParams()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var actual = new JsonArray(new JsonObject
        {
            ["sequence_type_id"] = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!),
            ["params"] = new JsonObject { ["token"] = new JsonObject { ["$secret"] = 7 } },
        });

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(orchestrator), actual);

        await ProblemAssert.IsValidationProblemAsync(response, "_actualparams");
    }

    [Test]
    public async Task CreateRun_WhenParamsReferToASecret_KeepsTheReferenceInActualAndRunParams()
    {
        (await PutAsync("api-key", "never-shown-314")).Dispose();
        var orchestrator = await Api.CreateOrchestratorAsync(stepParams: new JsonObject { ["key"] = new JsonObject { ["$secret"] = "api-key" } });

        var run = await Api.CreateRunAsync(OrchRunApiClient.IdOf(orchestrator));

        var step = run["orchrunsteps"]![0]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(step["_runparams"]!.GetValue<string>(), Is.EqualTo("""{"key":{"$secret":"api-key"}}"""));
            Assert.That(run.ToJsonString(), Does.Not.Contain("never-shown-314"));
        }
    }

    private Task<HttpResponseMessage> PutAsync(string name, string value) =>
        Api.Http.PutAsync(Api.Url($"{SecretsPath}/{name}"), OrchRunApiClient.Json(new JsonObject { ["_value"] = value }));

    /// <summary>The stored (protected) value of this namespace's secret, read from the database.</summary>
    private Task<string?> StoredAsync(string name) => Factory.WithDbAsync(db =>
        db.Secrets.Where(s => s.Namespace == Api.Namespace && s.Name == name).Select(s => s.ProtectedValue).SingleOrDefaultAsync());

    private static string Distinctive() => "value-" + Guid.NewGuid().ToString("N");
}
