using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Auth;

/// <summary>Per-user rate limiting: beyond RateLimit:PermitLimit a user gets 429 with Retry-After; others do not.</summary>
public sealed class RateLimitTests
{
    private OrchRunApiFactory? _factory;

    [OneTimeSetUp]
    public void StartApi() =>
        _factory = new OrchRunApiFactory(new Dictionary<string, string?>
        {
            ["RateLimit:PermitLimit"] = "5",
            ["RateLimit:WindowSeconds"] = "60",
        });

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task Requests_WhenAUserExceedsThePermitLimit_Are429WithRetryAfterForThatUserOnly()
    {
        using var greedy = _factory!.CreateApiClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await greedy.ListRunsAsync();
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests, "rate-limited");
                Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            }
        }

        using var other = _factory.Server.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", OrchRunApiFactory.TokenFor("someone-else", greedy.Namespace));
        using var otherResponse = await other.GetAsync(greedy.Url(OrchRunApiClient.RunsPath));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(statuses.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(otherResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }
}
