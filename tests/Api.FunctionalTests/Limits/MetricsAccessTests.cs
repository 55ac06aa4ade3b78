using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Limits;

/// <summary>Metrics:BearerToken and Metrics:NamespaceLabels on an API of their own (the port is a process test).</summary>
public sealed class MetricsAccessTests
{
    private const string ScrapeToken = "scrape-token-0123456789abcdef";

    private OrchRunApiFactory? _factory;

    [OneTimeSetUp]
    public void StartApi() => _factory = new OrchRunApiFactory(new Dictionary<string, string?>
    {
        ["Metrics:BearerToken"] = ScrapeToken,
        ["Metrics:NamespaceLabels"] = "false",
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
    public async Task Metrics_WhenNeitherAPortNorATokenIsSetOutsideDevelopment_Is404SayingWhatToSet()
    {
        await using var closed = new OrchRunApiFactory(new Dictionary<string, string?> { ["Metrics:AllowAnonymous"] = "false" });
        using var client = closed.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Metrics:Port").And.Contain("Metrics:BearerToken"));
    }

    [TestCase(null)]
    [TestCase("wrong-token-0123456789abcdef")]
    public async Task Metrics_WhenTheScrapeTokenIsMissingOrWrong_Is401(string? token)
    {
        using var response = await ScrapeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task Metrics_WhenAUserTokenIsSentInsteadOfTheScrapeToken_Is401()
    {
        using var response = await ScrapeAsync(OrchRunApiFactory.TokenFor("alice", "*"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Metrics_WhenNamespaceLabelsAreOff_CountRunsWithoutANamespaceLabel()
    {
        using var api = _factory!.CreateApiClient();
        var orchestratorId = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        (await api.PostRunAsync(orchestratorId)).Dispose();

        using var response = await ScrapeAsync(ScrapeToken);
        var text = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Regex.IsMatch(text, @"^orchrun_runs_created_total(\{[^}]*\})? \d", RegexOptions.Multiline), Is.True, text);
            Assert.That(text, Does.Not.Contain("namespace="), text);
            Assert.That(text, Does.Not.Contain(api.Namespace));
        }
    }

    private async Task<HttpResponseMessage> ScrapeAsync(string? token)
    {
        using var http = _factory!.CreateClient();
        http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return await http.GetAsync(new Uri("/metrics", UriKind.Relative));
    }
}
