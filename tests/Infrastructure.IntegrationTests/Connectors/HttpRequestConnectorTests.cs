using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Infrastructure.Connectors;
using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

/// <summary>The HTTP connector against a small Kestrel server on 127.0.0.1.</summary>
public sealed class HttpRequestConnectorTests
{
    private static readonly Guid RunId = Guid.Parse("13d44e84-a3ab-47a3-a375-46fdc5859522");

    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private WebApplication _server = null!;
    private ServiceProvider _services = null!;
    private string _baseUrl = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Map("/status/{code:int}", (int code) => Results.StatusCode(code));
        _server.Map("/echo", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            _seen.Enqueue(new SeenRequest(http.Request.Method, http.Request.ContentType, http.Request.Headers["X-Orch"].ToString(), body));
            return Results.Ok();
        });
        _server.Map("/slow", async (HttpContext http) =>
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
            return Results.Ok();
        });
        await _server.StartAsync();
        _baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        // The test server is on loopback, which the connector refuses unless allowed.
        _services = HttpRequestConnectorServices.Build(new() { ["Connectors:HttpRequest:AllowPrivateNetworks"] = "true" });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _services.DisposeAsync();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task ExecuteAsync_WhenTheServerAnswers2xx_LogsTheRequestAndItsStatus()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        await Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/status/204" }, log), CancellationToken.None);

        var lines = log.Take().Select(l => l.Message).ToList();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo($"HTTP GET {_baseUrl}/status/204, orch_run_id: {RunId}"));
        Assert.That(lines[1], Does.Match($@"^HTTP GET {_baseUrl}/status/204 answered 204 in \d+ ms, orch_run_id: {RunId}$"));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheUrlCarriesUserInfoAndQueryValues_LogsAndFailsWithThemMasked()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        var url = $"{_baseUrl.Replace("http://", "http://alice:pw-4711@", StringComparison.Ordinal)}/status/500?token=tok-4711&page=2";

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url }, log), CancellationToken.None));

        var surfaces = log.Take().Select(l => l.Message).Append(failure!.Message).ToList();
        var shown = $"{_baseUrl.Replace("http://", "http://***@", StringComparison.Ordinal)}/status/500?token=***&page=***";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(surfaces, Has.All.Not.Contain("4711"), "neither the password nor the token");
            Assert.That(surfaces, Has.All.Not.Contain("alice"));
            Assert.That(surfaces[0], Is.EqualTo($"HTTP GET {shown}, orch_run_id: {RunId}"));
            Assert.That(failure.Message, Is.EqualTo($"HTTP GET {shown} answered 500; expected 2xx."));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenGivenAMethodBodyAndHeaders_SendsThem()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        _seen.Clear();

        await Connector().ExecuteAsync(
            Context(new { url = $"{_baseUrl}/echo", method = "post", headers = new Dictionary<string, string> { ["X-Orch"] = "yes" }, body = new { a = 1 } }, log),
            CancellationToken.None);

        Assert.That(_seen.TryDequeue(out var seen), Is.True);
        Assert.That(seen, Is.EqualTo(new SeenRequest("POST", "application/json; charset=utf-8", "yes", "{\"a\":1}")));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheStatusIsUnexpected_FailsWithTheStatusInTheMessage()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/status/500" }, log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo($"HTTP GET {_baseUrl}/status/500 answered 500; expected 2xx."));
        Assert.That(log.Take().Select(l => l.Message), Has.Some.Contains("answered 500"));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheStatusIsListedAsExpected_Succeeds()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        await Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/status/418", expectedStatusCodes = new[] { 418 } }, log), CancellationToken.None);

        Assert.That(log.Take().Select(l => l.Message), Has.Some.Contains("answered 418"));
    }

    [Test]
    public async Task ExecuteAsync_WhenAnExpected2xxIsNotListed_FailsNamingTheListedCodes()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/status/200", expectedStatusCodes = new[] { 201, 202 } }, log), CancellationToken.None));

        Assert.That(failure!.Message, Does.EndWith("answered 200; expected 201, 202."));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheServerIsTooSlow_FailsWithATimeout()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/slow", timeoutMs = 200 }, log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo($"HTTP GET {_baseUrl}/slow timed out after 200 ms."));
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelled_StopsWithCancellationRatherThanAFailure()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        using var cancel = new CancellationTokenSource();

        var execution = Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/slow" }, log), cancel.Token);
        await cancel.CancelAsync();

        var stopped = await Assert.CatchAsync(() => execution);
        Assert.That(stopped, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ExecuteAsync_WhenNothingListens_FailsWithAClearMessage()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url = "http://127.0.0.1:1/nothing" }, log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo("HTTP GET http://127.0.0.1:1/nothing failed: could not connect to 127.0.0.1."));
    }

    [TestCase("{}")]
    [TestCase("{\"url\":\"ftp://127.0.0.1/file\"}")]
    [TestCase("{\"url\":\"not a url\"}")]
    public async Task ExecuteAsync_WhenTheUrlIsMissingOrNotHttp_FailsWithAClearMessage(string parameters)
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        using var document = JsonDocument.Parse(parameters);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(new ConnectorContext(RunId, "http_request", document.RootElement.Clone(), log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo("Parameter 'url' must be an absolute http or https URL."));
    }

    [TestCase("Host")]
    [TestCase("connection")]
    [TestCase("Keep-Alive")]
    [TestCase("Proxy-Authorization")]
    [TestCase("TE")]
    [TestCase("Trailer")]
    [TestCase("Transfer-Encoding")]
    [TestCase("Upgrade")]
    public async Task ExecuteAsync_WhenParamsSetAHostOrHopByHopHeader_FailsWithoutSending(string header)
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        _seen.Clear();

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => Connector().ExecuteAsync(
            Context(new { url = $"{_baseUrl}/echo", headers = new Dictionary<string, string> { [header] = "x" } }, log), CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith($"Header '{header}' cannot be set"));
        Assert.That(_seen, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_WhenTimeoutMsIsAboveItsMaximum_FailsNamingTheMaximum()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() =>
            Connector().ExecuteAsync(Context(new { url = $"{_baseUrl}/status/204", timeoutMs = 600_001 }, log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo("Parameter 'timeoutMs' must be a whole number from 1 to 600000."));
    }

    [Test]
    public void HttpClient_IsNotCutByItsOwnTimeout_SoTimeoutMsRules()
    {
        using var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpRequestConnector.HttpClientName);

        Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    private static ConnectorContext Context(object parameters, IRunLogWriter log) =>
        new(RunId, "http_request", JsonSerializer.SerializeToElement(parameters), log);

    private HttpRequestConnector Connector() => (HttpRequestConnector)_services.GetServices<IConnector>().Single();

    private sealed record SeenRequest(string Method, string? ContentType, string Header, string Body);
}
