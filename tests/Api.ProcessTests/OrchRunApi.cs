using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// The service's HTTP API for one namespace, as the platform UI calls it: typed helpers over the
/// shared <see cref="OrchRunApiClient"/>.
/// </summary>
internal sealed class OrchRunApi
{
    public const string TestConnectorId = OrchRunApiClient.TestConnectorComponentId;

    private readonly OrchRunApiClient _client;

    public OrchRunApi(HttpClient http, string ns)
    {
        // Not disposed: the HttpClient belongs to the process.
        _client = new OrchRunApiClient(http, ns);
    }

    public string Namespace => _client.Namespace;

    /// <summary>An orchestrator of the given steps (name, component id, default params).</summary>
    public async Task<string> CreateOrchestratorAsync(string name, params (string Name, string ComponentId, object Params)[] steps)
    {
        var body = new JsonObject
        {
            ["_name"] = name,
            ["_description"] = "process test",
            ["_usertype"] = "test_instant",
            ["steps"] = new JsonArray(steps.Select(s => (JsonNode)new JsonObject
            {
                ["_name"] = s.Name,
                ["_compid"] = s.ComponentId,
                ["_params"] = JsonSerializer.SerializeToNode(s.Params),
            }).ToArray()),
        };
        using var response = await _client.PostOrchestratorAsync(OrchRunApiClient.Json(body));
        return OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK));
    }

    /// <summary>A test_connector orchestrator of one step named test_connector, as in the seed.</summary>
    public Task<string> CreateTestConnectorOrchestratorAsync(int iterations, int intervalMs, string name = "test_connector") =>
        CreateOrchestratorAsync(name, ("test_connector", TestConnectorId, new { iterations, intervalMs }));

    public Task<JsonObject> CreateRunAsync(string orchestratorId) => _client.CreateRunAsync(orchestratorId);

    /// <summary>The run, or null on 404.</summary>
    public async Task<JsonObject?> GetRunAsync(string id)
    {
        using var response = await _client.GetRunAsync(id);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK)).Single()!.AsObject();
    }

    public async Task<HttpStatusCode> GetLogStatusAsync(string id)
    {
        using var response = await _client.GetLogsAsync(id);
        return response.StatusCode;
    }

    /// <summary>The log's NDJSON text (the JSON string's content).</summary>
    public async Task<string> GetLogAsync(string id)
    {
        using var response = await _client.GetLogsAsync(id);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.GetValue<string>();
    }

    /// <summary>The log's lines as objects.</summary>
    public async Task<List<JsonObject>> GetLogLinesAsync(string id) =>
        (await GetLogAsync(id)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public async Task<JsonObject> CancelAsync(string id)
    {
        using var response = await _client.CancelRunAsync(id, id);
        return (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK)).Single()!.AsObject();
    }

    public async Task<HttpStatusCode> DeleteAsync(string id)
    {
        using var response = await _client.DeleteRunAsync(id);
        return response.StatusCode;
    }

    /// <summary>Polls until the run has one of <paramref name="statuses"/>; a failure (not a timing claim) after <paramref name="timeout"/>.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, TimeSpan timeout, params string[] statuses)
    {
        var clock = Stopwatch.StartNew();
        string? last = null;
        while (clock.Elapsed < timeout)
        {
            var run = await GetRunAsync(id) ?? throw new InvalidOperationException($"Run {id} is gone.");
            last = run["_status"]!.GetValue<string>();
            if (statuses.Contains(last))
            {
                return run;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Run {id} was still {last} after {timeout}, expected {string.Join('/', statuses)}.");
    }
}
