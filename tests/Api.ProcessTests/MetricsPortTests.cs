using System.Net;
using System.Net.Http.Headers;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Metrics:Port and Metrics:BearerToken on the real binary and Kestrel: the scrape answers only
/// on its own port (bound, like the API, to 127.0.0.1 here), only with the token, and the API is
/// not served there.
/// </summary>
[NonParallelizable]
public sealed class MetricsPortTests
{
    private const string ScrapeToken = "scrape-token-0123456789abcdef";

    private ServiceProcess? _service;
    private int _metricsPort;
    private string _databasePath = string.Empty;

    [OneTimeSetUp]
    public async Task StartService()
    {
        _databasePath = Path.Combine(Path.GetTempPath(), $"orchrun-metrics-{Guid.NewGuid():N}.db");
        var ports = LoopbackPorts.Free(2);
        _metricsPort = ports[1];
        var environment = ServiceLaunch.ProductionSettings(_databasePath);
        environment["Metrics__Port"] = _metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Metrics__BearerToken"] = ScrapeToken;
        environment["Worker__Enabled"] = "false";
        _service = await ServiceProcess.StartAsync(new ServiceLaunch { Environment = environment, Port = ports[0] });
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        foreach (var path in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Metrics_WhenAPortIsSet_AnswerOnlyThereAndOnlyWithTheScrapeToken()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var metricsUrl = new Uri($"http://127.0.0.1:{_metricsPort}/metrics");

        using var onApiPort = await http.SendAsync(Scrape(new Uri(_service!.BaseAddress, "/metrics"), ScrapeToken));
        using var withoutToken = await http.SendAsync(Scrape(metricsUrl, token: null));
        using var wrongToken = await http.SendAsync(Scrape(metricsUrl, "not-the-scrape-token-at-all"));
        using var scraped = await http.SendAsync(Scrape(metricsUrl, ScrapeToken));
        using var apiOnMetricsPort = await http.GetAsync(new Uri($"http://127.0.0.1:{_metricsPort}/health/ready"));
        using var apiOnApiPort = await http.GetAsync(new Uri(_service.BaseAddress, "/health/ready"));
        var text = await scraped.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(onApiPort.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no metrics on the API's port");
            Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(withoutToken.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(scraped.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(text, Does.Contain("# TYPE"));
            Assert.That(apiOnMetricsPort.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing but metrics on the metrics port");
            Assert.That(apiOnApiPort.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the API still listens where it was told to");
        }
    }

    private static HttpRequestMessage Scrape(Uri url, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
