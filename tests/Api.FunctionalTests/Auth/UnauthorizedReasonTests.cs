using System.Net;
using System.Net.Http.Headers;
using OrchRunService.Api.Auth;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Auth;

/// <summary>A 401 says why in its detail, so the caller can fix its token, and never names a key.</summary>
public sealed class UnauthorizedReasonTests : ApiTestBase
{
    private static readonly AuthOptions OtherKey = new()
    {
        Issuer = OrchRunApiFactory.Auth.Issuer,
        Audience = OrchRunApiFactory.Auth.Audience,
        SigningKey = "a-different-signing-key-that-the-service-does-not-know-0123",
    };

    public static IEnumerable<TestCaseData> Tokens()
    {
        yield return Case("none", null, "No bearer token was sent");
        yield return Case("garbage", "not.a.jwt", "not a well-formed JWT");
        yield return Case("expired", DevelopmentTokenIssuer.Issue(OrchRunApiFactory.Auth, "alice", ["*"], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-2)), "The token expired at ");
        yield return Case("wrong-signature", DevelopmentTokenIssuer.Issue(OtherKey, "alice", ["*"], TimeSpan.FromHours(1)), "signature does not verify");
        yield return Case("wrong-audience", DevelopmentTokenIssuer.Issue(With(a => a.Audience = "someone-else"), "alice", ["*"], TimeSpan.FromHours(1)), "audience (aud) is not this service");
        yield return Case("wrong-issuer", DevelopmentTokenIssuer.Issue(With(a => a.Issuer = "someone-else"), "alice", ["*"], TimeSpan.FromHours(1)), "issuer (iss) is not one this service trusts");

        static TestCaseData Case(string kind, string? token, string reason) => new TestCaseData(token, reason).SetArgDisplayNames(kind);
    }

    [TestCaseSource(nameof(Tokens))]
    public async Task ListRuns_WhenTheTokenIsMissingOrInvalid_Is401SayingWhyWithoutAKey(string? token, string reason)
    {
        using var response = await SendWithTokenAsync(token);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        var detail = problem["detail"]!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(detail, Does.Contain(reason));
            Assert.That(detail, Does.Not.Contain(OrchRunApiFactory.Auth.SigningKey!).And.Not.Contain(OtherKey.SigningKey!));
            Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Has.Member("Bearer"));
        }
    }

    [Test]
    public async Task CreateRun_WhenTheSubIsLongerThanTheServiceStores_Is401SayingSoNever500()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var token = OrchRunApiFactory.TokenFor(new string('u', 201), "*");
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Url(OrchRunApiClient.RunsPath))
        {
            Content = OrchRunApiClient.Json(OrchRunApiClient.RunBody(OrchRunApiClient.IdOf(orchestrator))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await Api.Http.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("sub is longer than the 200 characters"));
    }

    [Test]
    public async Task ListRuns_WhenTheSubIsExactlyTheLongestStored_GetsThrough()
    {
        using var response = await SendWithTokenAsync(OrchRunApiFactory.TokenFor(new string('u', 200), "*"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Url(OrchRunApiClient.RunsPath));
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        if (token is null)
        {
            // The factory's clients carry a default token; this request must carry none.
            using var bare = Factory.Server.CreateClient();
            return await bare.SendAsync(request);
        }

        return await Api.Http.SendAsync(request);
    }

    private static AuthOptions With(Action<AuthOptions> change)
    {
        var options = new AuthOptions { Issuer = OrchRunApiFactory.Auth.Issuer, Audience = OrchRunApiFactory.Auth.Audience, SigningKey = OrchRunApiFactory.Auth.SigningKey };
        change(options);
        return options;
    }
}
