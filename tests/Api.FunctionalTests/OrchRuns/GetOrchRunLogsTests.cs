using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class GetOrchRunLogsTests : ApiTestBase
{
    [Test]
    public async Task GetLogs_WhenRunHasNoLinesYet_ReturnsAnEmptyJsonString()
    {
        var (_, run) = await Api.CreateOrchestratorAndRunAsync();

        using var response = await Api.GetLogsAsync(OrchRunApiClient.IdOf(run));
        var text = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(text, Is.EqualTo("\"\""));
        }
    }

    [Test]
    public async Task GetLogs_WhenRunHasLines_ReturnsThemAsNdjsonInAJsonStringOldestFirst()
    {
        var (_, run) = await Api.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(run);
        await Factory.AddLogLinesAsync(
            runId,
            [
                (RunLogLevel.Info, "Orch run execution has begun"),
                (RunLogLevel.Warn, "[\"Step: Connector:test_connector took ->60.56\"] with a \\ backslash"),
                (RunLogLevel.Info, "Orch run has ended. Closing up file log stream"),
            ],
            lastIsEnd: true);

        using var response = await Api.GetLogsAsync(runId);
        var body = await OrchRunApiClient.ReadJsonAsync(response);

        Assert.That(body!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
        var ndjson = body.GetValue<string>();
        Assert.That(ndjson, Does.EndWith("\n"));
        var lines = ndjson.TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.That(lines, Has.Count.EqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[0]["orchRunId"]?.GetValue<string>(), Is.EqualTo(runId));
            Assert.That(lines.Skip(1).Select(l => l.ContainsKey("orchRunId")), Is.All.False);
            Assert.That(lines.Select(l => l["message"]!.GetValue<string>()), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                "[\"Step: Connector:test_connector took ->60.56\"] with a \\ backslash",
                "Orch run has ended. Closing up file log stream",
            }));
            Assert.That(lines.Select(l => l["level"]!.GetValue<string>()), Is.EqualTo(new[] { "info", "warn", "info" }));
            Assert.That(lines.Select(l => l["timestamp"]!.GetValue<string>()), Is.EqualTo(new[]
            {
                "2023-09-08T07:50:31.330Z", "2023-09-08T07:50:31.331Z", "2023-09-08T07:50:31.332Z",
            }));
            Assert.That(lines[2]["end"]?.GetValue<bool>(), Is.True);
            Assert.That(lines.Take(2).Select(l => l.ContainsKey("end")), Is.All.False);
        }
    }

    [Test]
    public async Task GetLogs_WhenIdIsUnknown_Returns404()
    {
        using var response = await Api.GetLogsAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task GetLogs_WhenRunBelongsToAnotherNamespace_Returns404()
    {
        using var other = Factory.CreateApiClient();
        var (_, run) = await other.CreateOrchestratorAndRunAsync();

        using var response = await Api.GetLogsAsync(OrchRunApiClient.IdOf(run));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task GetLogs_WhenIdIsMalformed_Returns400()
    {
        using var response = await Api.GetLogsAsync("not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }
}
