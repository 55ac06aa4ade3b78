using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>Shortcuts the tests of this folder share: orchestrators with step policies, waiting for a status, reading logs.</summary>
internal static class Runs
{
    public const string NdjsonType = "application/x-ndjson";
    public const string EventStreamType = "text/event-stream";

    public static readonly string[] Finished = ["COMPLETED", "FAILED", "CANCELLED"];

    /// <summary>One test_connector step: <paramref name="iterations"/> waits of <paramref name="intervalMs"/>.</summary>
    public static JsonObject TestStep(int iterations, int intervalMs, string name = "test_connector") => new()
    {
        ["_name"] = name,
        ["_compid"] = OrchRunApiClient.TestConnectorComponentId,
        ["_params"] = new JsonObject { ["iterations"] = iterations, ["intervalMs"] = intervalMs },
    };

    public static async Task<JsonObject> CreateOrchestratorAsync(this OrchRunApiClient api, params JsonObject[] steps)
    {
        var body = new JsonObject
        {
            ["_name"] = "Beyond Orch",
            ["_description"] = "beyond the seed",
            ["_usertype"] = "test_instant",
            ["steps"] = new JsonArray(steps.Select((s, i) =>
            {
                s["_sequenceno"] = i + 1;
                return (JsonNode)s;
            }).ToArray()),
        };
        using var response = await api.PostOrchestratorAsync(OrchRunApiClient.Json(body));
        return await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>An orchestrator of <paramref name="steps"/> and a run of it; answers the run's id.</summary>
    public static async Task<string> StartRunAsync(this OrchRunApiClient api, params JsonObject[] steps)
    {
        var orchestrator = await api.CreateOrchestratorAsync(steps);
        var run = await api.CreateRunAsync(OrchRunApiClient.IdOf(orchestrator));
        return OrchRunApiClient.IdOf(run);
    }

    /// <summary>
    /// A step that fails at once: test_connector with an out-of-range iterations (an unknown
    /// _compid is refused when the orchestrator is created).
    /// </summary>
    public static JsonObject FailingStep(string name = "failing_step") => new()
    {
        ["_name"] = name,
        ["_compid"] = OrchRunApiClient.TestConnectorComponentId,
        ["_params"] = new JsonObject { ["iterations"] = -1 },
    };

    public static Task<HttpResponseMessage> PostRerunAsync(this OrchRunApiClient api, string id, string? fromStep = null) =>
        api.Http.PostAsync(api.Url($"{OrchRunApiClient.RunsPath}/{id}/rerun", fromStep is null ? null : "fromStep=" + Uri.EscapeDataString(fromStep)), content: null);

    /// <summary>POST /orchrun with an Idempotency-Key header.</summary>
    public static async Task<HttpResponseMessage> PostRunWithKeyAsync(this OrchRunApiClient api, string key, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, api.Url(OrchRunApiClient.RunsPath)) { Content = OrchRunApiClient.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await api.Http.SendAsync(request);
    }

    public static async Task<int> CountRunsAsync(this OrchRunApiClient api) =>
        (await api.ListRunsPageAsync("_pageSize=1000"))["_total"]!.GetValue<int>();

    public static async Task<JsonObject> GetRunObjectAsync(this OrchRunApiClient api, string id)
    {
        using var response = await api.GetRunAsync(id);
        return (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK)).Single()!.AsObject();
    }

    public static string StatusOf(JsonNode run) => run["_status"]!.GetValue<string>();

    /// <summary>Reads the run until its status is one of <paramref name="statuses"/> (fails after <paramref name="timeoutSeconds"/>).</summary>
    public static async Task<JsonObject> WaitForStatusAsync(this OrchRunApiClient api, string id, IReadOnlyCollection<string> statuses, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var run = await api.GetRunObjectAsync(id);
            if (statuses.Contains(StatusOf(run)))
            {
                return run;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"run {id} is still {StatusOf(run)}: {run.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public static Task<JsonObject> WaitUntilFinishedAsync(this OrchRunApiClient api, string id, int timeoutSeconds = 30) =>
        api.WaitForStatusAsync(id, Finished, timeoutSeconds);

    /// <summary>GET the run's log with <paramref name="query"/> and <paramref name="accept"/>, answering as soon as the headers are in.</summary>
    public static async Task<HttpResponseMessage> OpenLogsAsync(this OrchRunApiClient api, string id, string? query, string? accept, CancellationToken cancellationToken = default, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url($"{OrchRunApiClient.RunsPath}/logs/{id}", query));
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The whole answer as NDJSON lines (no follow needed once the run has finished).</summary>
    public static async Task<List<string>> ReadNdjsonLinesAsync(this OrchRunApiClient api, string id, string? query = null)
    {
        using var response = await api.OpenLogsAsync(id, query, NdjsonType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return SplitLines(text);
    }

    public static List<string> SplitLines(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static bool IsEnd(string line) => JsonNode.Parse(line)!["end"]?.GetValue<bool>() == true;

    public static string MessageOf(string line) => JsonNode.Parse(line)!["message"]!.GetValue<string>();
}
