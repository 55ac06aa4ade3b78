using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrchRunService.Api.Auth;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Auth;

/// <summary>
/// Every endpoint with every kind of credential: none or invalid is 401, a namespace the token
/// does not grant is 403, one it grants (by name or '*') gets through, and another namespace's
/// resources stay 404 whatever the token says.
/// </summary>
public class AuthenticationTests : ApiTestBase
{
    private static readonly AuthOptions OtherKey = new()
    {
        Issuer = OrchRunApiFactory.Auth.Issuer,
        Audience = OrchRunApiFactory.Auth.Audience,
        SigningKey = "a-different-signing-key-that-the-service-does-not-know-0123",
    };

    public static IEnumerable<TestCaseData> InvalidTokens()
    {
        foreach (var endpoint in Endpoints.All)
        {
            yield return Case(endpoint, "none", null);
            yield return Case(endpoint, "garbage", "not.a.jwt");
            yield return Case(endpoint, "expired", DevelopmentTokenIssuer.Issue(OrchRunApiFactory.Auth, "alice", ["*"], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-2)));
            yield return Case(endpoint, "wrong-signature", DevelopmentTokenIssuer.Issue(OtherKey, "alice", ["*"], TimeSpan.FromHours(1)));
            yield return Case(endpoint, "wrong-audience", DevelopmentTokenIssuer.Issue(With(a => a.Audience = "someone-else"), "alice", ["*"], TimeSpan.FromHours(1)));
            yield return Case(endpoint, "wrong-issuer", DevelopmentTokenIssuer.Issue(With(a => a.Issuer = "someone-else"), "alice", ["*"], TimeSpan.FromHours(1)));
        }

        static TestCaseData Case(Endpoint endpoint, string kind, string? token) =>
            new TestCaseData(endpoint, token).SetArgDisplayNames(endpoint.Name, kind);
    }

    [TestCaseSource(nameof(InvalidTokens))]
    public async Task Request_WhenTheTokenIsMissingOrInvalid_Is401WithWwwAuthenticate(Endpoint endpoint, string? token)
    {
        var fixture = await ArrangeAsync();
        using var response = await SendAsync(endpoint, Api.Namespace, fixture, token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Has.Member("Bearer"));
    }

    [TestCaseSource(typeof(Endpoints), nameof(Endpoints.Cases))]
    public async Task Request_WhenTheTokenDoesNotGrantTheNamespace_Is403(Endpoint endpoint)
    {
        var fixture = await ArrangeAsync();
        var token = OrchRunApiFactory.TokenFor("mallory", "some_other_ns");

        using var response = await SendAsync(endpoint, Api.Namespace, fixture, token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [TestCaseSource(typeof(Endpoints), nameof(Endpoints.Cases))]
    public async Task Request_WhenTheTokenGrantsTheNamespaceByName_GetsThrough(Endpoint endpoint)
    {
        var fixture = await ArrangeAsync();
        using var response = await SendAsync(endpoint, Api.Namespace, fixture, OrchRunApiFactory.TokenFor("alice", "unrelated", Api.Namespace));

        Assert.That((int)response.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403).And.LessThan(500), await response.Content.ReadAsStringAsync());
    }

    [TestCaseSource(typeof(Endpoints), nameof(Endpoints.Cases))]
    public async Task Request_WhenTheTokenGrantsEveryNamespace_GetsThrough(Endpoint endpoint)
    {
        var fixture = await ArrangeAsync();
        using var response = await SendAsync(endpoint, Api.Namespace, fixture, OrchRunApiFactory.TokenFor("alice", "*"));

        Assert.That((int)response.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403).And.LessThan(500), await response.Content.ReadAsStringAsync());
    }

    public static IEnumerable<TestCaseData> EndpointsWithId() =>
        Endpoints.All.Where(e => e.HasId).Select(e => new TestCaseData(e).SetArgDisplayNames(e.Name));

    [TestCaseSource(nameof(EndpointsWithId))]
    public async Task Request_WhenTheIdBelongsToAnotherNamespace_Is404EvenForAnAllNamespacesToken(Endpoint endpoint)
    {
        var fixture = await ArrangeAsync();
        var other = TestNamespace.New();
        using var response = await SendAsync(endpoint, other, fixture, OrchRunApiFactory.TokenFor("alice", "*"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task CreateRun_WhenAuthenticated_TakesCreatedByFromTheSubClaim()
    {
        var fixture = await ArrangeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Url(OrchRunApiClient.RunsPath))
        {
            Content = OrchRunApiClient.Json(OrchRunApiClient.RunBody(fixture.OrchestratorId)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OrchRunApiFactory.TokenFor("user-42", Api.Namespace));

        using var response = await Api.Http.SendAsync(request);
        var run = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        Assert.That(run["_createdby"]!.GetValue<string>(), Is.EqualTo("user-42"));
    }

    [Test]
    public async Task ListRuns_WhenAnotherNamespaceHasRuns_NeverIncludesThem()
    {
        var mine = await ArrangeAsync();
        using var other = Factory.CreateApiClient();
        var (_, foreignRun) = await other.CreateOrchestratorAndRunAsync();

        var page = await Api.ListRunsPageAsync("_pageSize=1000");
        var ids = page["_list"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids, Does.Contain(mine.RunId));
            Assert.That(ids, Does.Not.Contain(OrchRunApiClient.IdOf(foreignRun)));
            Assert.That(page["_list"]!.AsArray().Select(r => r!["_namespaces"]![0]!.GetValue<string>()), Is.All.EqualTo(Api.Namespace));
        }
    }

    [Test]
    public async Task Health_WithoutAToken_IsAnonymous()
    {
        using var http = Factory.Server.CreateClient();
        using var live = await http.GetAsync("/health/live");
        using var ready = await http.GetAsync("/health/ready");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    private static AuthOptions With(Action<AuthOptions> change)
    {
        var options = new AuthOptions
        {
            Issuer = OrchRunApiFactory.Auth.Issuer,
            Audience = OrchRunApiFactory.Auth.Audience,
            SigningKey = OrchRunApiFactory.Auth.SigningKey,
        };
        change(options);
        return options;
    }

    private async Task<Fixture> ArrangeAsync()
    {
        var (orchestrator, run) = await Api.CreateOrchestratorAndRunAsync();
        using var schedule = await Api.Http.PostAsync(Api.Url(Endpoints.SchedulesPath), OrchRunApiClient.Json(ScheduleBody(OrchRunApiClient.IdOf(orchestrator))));
        var scheduleId = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(schedule, HttpStatusCode.OK));
        return new Fixture(OrchRunApiClient.IdOf(orchestrator), OrchRunApiClient.IdOf(run), scheduleId);
    }

    /// <summary>A well-formed request of <paramref name="endpoint"/> in <paramref name="namespace"/>, with the given bearer token (none when null).</summary>
    private async Task<HttpResponseMessage> SendAsync(Endpoint endpoint, string @namespace, Fixture fixture, string? token)
    {
        var isOrchestrator = endpoint.PathTemplate.StartsWith(OrchRunApiClient.OrchestratorsPath, StringComparison.Ordinal);
        var isSchedule = endpoint.PathTemplate.StartsWith(Endpoints.SchedulesPath, StringComparison.Ordinal);
        var id = isOrchestrator ? fixture.OrchestratorId : isSchedule ? fixture.ScheduleId : fixture.RunId;
        var path = endpoint.HasId ? endpoint.Path(id) : endpoint.PathTemplate;
        using var request = new HttpRequestMessage(endpoint.Method, $"{path}?nsfilter={@namespace}");
        if (endpoint.HasBody)
        {
            JsonNode body = endpoint.Name switch
            {
                "CreateRun" => OrchRunApiClient.RunBody(fixture.OrchestratorId),
                "CancelRun" => new JsonObject { ["id"] = fixture.RunId },
                "CreateSchedule" or "UpdateSchedule" => ScheduleBody(fixture.OrchestratorId),
                _ => OrchRunApiClient.OrchestratorBody(),
            };
            request.Content = OrchRunApiClient.Json(body);
        }

        // The factory's clients carry an all-namespaces token; this request brings its own (or none).
        using var http = Factory.Server.CreateClient();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private static JsonObject ScheduleBody(string orchestratorId) => new()
    {
        ["orchestratorId"] = orchestratorId,
        ["_cron"] = "0 * * * *",
        ["_actualparams"] = new JsonArray(),
    };

    private sealed record Fixture(string OrchestratorId, string RunId, string ScheduleId);
}
