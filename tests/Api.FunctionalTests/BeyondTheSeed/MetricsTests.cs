using System.Net;
using System.Text.RegularExpressions;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>/metrics: Prometheus text of the service's meters and ASP.NET Core's request metrics, anonymously.</summary>
public sealed class MetricsTests
{
    private static async Task<(HttpResponseMessage Response, string Text)> ScrapeAsync(OrchRunApiFactory factory)
    {
        using var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static bool HasSample(string text, string metric, string? label = null, string? value = null) =>
        Regex.IsMatch(
            text,
            "^" + Regex.Escape(metric) + (label is null ? @"(\{[^}]*\})?" : @"\{[^}]*" + Regex.Escape(label) + @"[^}]*\}") + " " + (value is null ? @"\S+" : Regex.Escape(value)) + @"(\s|$)",
            RegexOptions.Multiline);

    [Test]
    public async Task Metrics_AfterRunsAreQueued_AnswersPrometheusTextWithCreatesQueueDepthAndRequestDurations()
    {
        using var api = BeyondTheSeedApis.Queueing.CreateApiClient();
        var orchestratorId = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        (await api.PostRunAsync(orchestratorId)).Dispose();
        (await api.PostRunAsync(orchestratorId)).Dispose();

        var (response, text) = await ScrapeAsync(BeyondTheSeedApis.Queueing);

        using (response)
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "anonymous: no token needed");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Does.Contain("# TYPE orchrun_runs_created_total counter"));
            Assert.That(HasSample(text, "orchrun_runs_created_total", $"namespace=\"{api.Namespace}\"", "2"), Is.True, text);
            Assert.That(text, Does.Contain("# TYPE orchrun_queue_depth gauge"));
            Assert.That(HasSample(text, "orchrun_queue_depth", $"namespace=\"{api.Namespace}\"", "2"), Is.True, text);
            Assert.That(text, Does.Contain("# TYPE http_server_request_duration_seconds histogram"));
            Assert.That(HasSample(text, "http_server_request_duration_seconds_count", "http_route=\"datasourcesvc/api/v1/orchrun\""), Is.True, text);
        }
    }

    [Test]
    public async Task Metrics_AfterRunsFinish_CountThemAndRecordRunStepAndClaimDurations()
    {
        using var api = BeyondTheSeedApis.WithWorker.CreateApiClient();
        var completed = await api.StartRunAsync(Runs.TestStep(iterations: 1, intervalMs: 0));
        var failed = await api.StartRunAsync(Runs.FailingStep());
        var cancelled = await api.StartRunAsync(Runs.TestStep(iterations: 1000, intervalMs: 100));
        await api.WaitForStatusAsync(cancelled, ["RUNNING"]);
        (await api.CancelRunAsync(cancelled, cancelled)).Dispose();
        foreach (var id in new[] { completed, failed, cancelled })
        {
            await api.WaitUntilFinishedAsync(id);
        }

        var (response, text) = await ScrapeAsync(BeyondTheSeedApis.WithWorker);

        using (response)
        using (Assert.EnterMultipleScope())
        {
            var ns = $"namespace=\"{api.Namespace}\"";
            Assert.That(HasSample(text, "orchrun_runs_created_total", ns, "3"), Is.True, text);
            Assert.That(HasSample(text, "orchrun_runs_completed_total", ns, "1"), Is.True, text);
            Assert.That(HasSample(text, "orchrun_runs_failed_total", ns, "1"), Is.True, text);
            Assert.That(HasSample(text, "orchrun_runs_cancelled_total", ns, "1"), Is.True, text);
            Assert.That(HasSample(text, "orchrun_run_duration_seconds_count", "status=\"completed\""), Is.True, text);
            Assert.That(HasSample(text, "orchrun_step_duration_seconds_count", "connector=\"test_connector\""), Is.True, text);
            Assert.That(HasSample(text, "orchrun_claim_latency_seconds_count"), Is.True, text);
            Assert.That(text, Does.Contain("orchrun_claim_latency_seconds_bucket{"));
        }
    }
}
