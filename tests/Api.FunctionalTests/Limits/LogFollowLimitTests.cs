using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Limits;

/// <summary>
/// Open follows per user, and keep-alives on a silent follow, through HTTP. The service runs on a
/// fake clock, so the 15 s keep-alive comes when the test moves the clock, not after real seconds.
/// </summary>
public sealed class LogFollowLimitTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private OrchRunApiFactory? _factory;
    private FakeTimeProvider _clock = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _factory = new OrchRunApiFactory(
            new Dictionary<string, string?> { ["Logs:MaxFollowsPerUser"] = "2" },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task Follow_WhenTheUserAlreadyHasTheMostOpenFollows_Is429WithRetryAfter()
    {
        using var api = ClientOfItsOwnUser();
        var (_, run) = await api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(run);

        // The worker is off: the run stays QUEUED and each follow stays open.
        using var first = await FollowAsync(api, id, "application/x-ndjson");
        using var second = await FollowAsync(api, id, "application/x-ndjson");
        using var third = await FollowAsync(api, id, "application/x-ndjson");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var problem = await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests, "follow-limit");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Logs:MaxFollowsPerUser"));
        Assert.That(third.Headers.RetryAfter?.Delta, Is.Not.Null);
    }

    [TestCase("application/x-ndjson", "\n")]
    [TestCase("text/event-stream", ": keep-alive\n\n")]
    public async Task Follow_WhenTheRunIsSilentFor15Seconds_SendsAKeepAlive(string accept, string keepAlive)
    {
        using var api = ClientOfItsOwnUser();
        var (_, run) = await api.CreateOrchestratorAndRunAsync();
        using var follow = await FollowAsync(api, OrchRunApiClient.IdOf(run), accept);
        Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var body = await follow.Content.ReadAsStreamAsync();
        var buffer = new byte[64];

        // Only fake time makes the keep-alive due: a second of it at a time, with a moment of real
        // time between for the server to arm its timers (the answer is checked, never the pace).
        var read = body.ReadAsync(buffer).AsTask();
        for (var second = 0; second < 600 && !read.IsCompleted; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(read, Task.Delay(10));
        }

        var count = await read.WaitAsync(Hang);
        Assert.That(System.Text.Encoding.UTF8.GetString(buffer, 0, count), Is.EqualTo(keepAlive));
    }

    [Test]
    public async Task Follow_WhenTheTokenExpires_EndsTheStreamNoLaterThanItsExp()
    {
        using var api = _factory!.CreateApiClient();
        var (_, run) = await api.CreateOrchestratorAndRunAsync();
        var lifetime = TimeSpan.FromMinutes(2);
        // Authentication checks the token on the real clock, the follow ends on the service's (fake) one.
        var issued = DateTimeOffset.UtcNow;
        var expires = issued + lifetime;
        var token = OrchRunService.Api.Auth.DevelopmentTokenIssuer.Issue(OrchRunApiFactory.Auth, $"follower-{Guid.NewGuid():N}", ["*"], lifetime, issued);
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var follow = await FollowAsync(api, OrchRunApiClient.IdOf(run), "application/x-ndjson");
        Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var body = await follow.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[256];

        var read = body.ReadAsync(buffer).AsTask();
        for (var second = 0; second < 900; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(read, Task.Delay(10));
            if (read.IsCompleted)
            {
                var count = await read;
                if (count == 0)
                {
                    break;
                }

                received.Write(buffer, 0, count);
                read = body.ReadAsync(buffer).AsTask();
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.IsCompleted && read.Result == 0, Is.True, "the stream ended");
            Assert.That(_clock.GetUtcNow(), Is.LessThan(expires.AddSeconds(10)), "it ended at its token's exp, not later");
            Assert.That(System.Text.Encoding.UTF8.GetString(received.ToArray()).Trim('\n'), Is.Empty, "only keep-alives: the run is still QUEUED, no end line");
        }
    }

    /// <summary>Follows count per user: each test is a user of its own, untouched by the others' open follows.</summary>
    private OrchRunApiClient ClientOfItsOwnUser()
    {
        var api = _factory!.CreateApiClient();
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OrchRunApiFactory.TokenFor($"follower-{Guid.NewGuid():N}", "*"));
        return api;
    }

    private static async Task<HttpResponseMessage> FollowAsync(OrchRunApiClient api, string runId, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url($"{OrchRunApiClient.RunsPath}/logs/{runId}", "follow=true"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Hang);
    }
}
