using System.Net;
using System.Text;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Errors;

/// <summary>
/// The 1 MiB body limit is Kestrel's, so these tests run the API on real Kestrel (the in-memory
/// test server enforces no body size).
/// </summary>
public sealed class RequestSizeLimitTests
{
    private const int MiB = 1024 * 1024;

    private OrchRunApiFactory? _factory;
    private OrchRunApiClient? _api;
    private string _orchestratorId = string.Empty;
    private string _runId = string.Empty;

    [OneTimeSetUp]
    public async Task StartApiOnKestrel()
    {
        _factory = new OrchRunApiFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        _api = _factory.CreateApiClient();
        var (orchestrator, run) = await _api.CreateOrchestratorAndRunAsync();
        _orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        _runId = OrchRunApiClient.IdOf(run);
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _api?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [TestCase("POST", "orchrun")]
    [TestCase("PUT", "orchrun/{run}")]
    [TestCase("POST", "orchestrator")]
    [TestCase("PUT", "orchestrator/{orch}")]
    public async Task Request_WhenBodyIsLargerThanOneMebibyte_Returns413(string method, string path)
    {
        using var response = await SendPaddedAsync(method, path, MiB + 1024);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Test]
    public async Task Create_WhenBodyIsJustUnderOneMebibyte_IsAccepted()
    {
        using var response = await SendPaddedAsync("POST", "orchrun", MiB - 1024);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Request_WhenHeadersAreLargerThan32KiB_Returns431()
    {
        var api = _api!;
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url(OrchRunApiClient.RunsPath));
        request.Headers.TryAddWithoutValidation("X-Padding", new string('x', 40 * 1024));

        using var response = await api.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    /// <summary>A valid body for the endpoint, padded with an unknown property to about <paramref name="size"/> bytes.</summary>
    private async Task<HttpResponseMessage> SendPaddedAsync(string method, string path, int size)
    {
        var api = _api!;
        var isRun = path.StartsWith("orchrun", StringComparison.Ordinal);
        var body = (isRun, method) switch
        {
            (true, "POST") => OrchRunApiClient.RunBody(_orchestratorId),
            (true, _) => new System.Text.Json.Nodes.JsonObject { ["id"] = _runId },
            _ => OrchRunApiClient.OrchestratorBody(),
        };
        var json = body.ToJsonString();
        var padded = json[..^1] + ",\"pad\":\"" + new string('x', Math.Max(0, size - json.Length - 10)) + "\"}";
        var url = api.Url($"{OrchRunApiClient.BasePath}/{path.Replace("{run}", _runId, StringComparison.Ordinal).Replace("{orch}", _orchestratorId, StringComparison.Ordinal)}");
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(padded, Encoding.UTF8, "application/json") };

        // Kestrel answers 413 from the Content-Length and closes; a client still writing the body
        // then fails with a broken pipe instead of reading the answer. Waiting for 100 Continue
        // lets the 413 arrive before any of the body is sent.
        request.Headers.ExpectContinue = size > MiB;
        return await api.Http.SendAsync(request);
    }
}
