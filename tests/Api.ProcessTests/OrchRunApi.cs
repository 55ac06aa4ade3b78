using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrchRunService.Api.ProcessTests;

/// <summary>The service's HTTP API for one namespace, as the platform UI calls it.</summary>
internal sealed class OrchRunApi
{
    public const string TestConnectorId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";
    private const string Base = "/datasourcesvc/api/v1";

    private readonly HttpClient _http;

    public OrchRunApi(HttpClient http, string ns)
    {
        _http = http;
        Namespace = ns;
    }

    public string Namespace { get; }

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
        using var response = await _http.PostAsJsonAsync(Url("/orchestrator"), body);
        var created = await ReadObjectAsync(response, HttpStatusCode.OK);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>A test_connector orchestrator of one step named test_connector, as in the seed.</summary>
    public Task<string> CreateTestConnectorOrchestratorAsync(int iterations, int intervalMs, string name = "test_connector") =>
        CreateOrchestratorAsync(name, ("test_connector", TestConnectorId, new { iterations, intervalMs }));

    public async Task<JsonObject> CreateRunAsync(string orchestratorId)
    {
        using var response = await _http.PostAsJsonAsync(Url("/orchrun"), new JsonObject { ["orchestratorId"] = orchestratorId, ["_actualparams"] = new JsonArray() });
        return await ReadObjectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The run, or null on 404.</summary>
    public async Task<JsonObject?> GetRunAsync(string id)
    {
        using var response = await _http.GetAsync(Url($"/orchrun/{id}"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var array = await ReadAsync(response, HttpStatusCode.OK);
        return array!.AsArray().Single()!.AsObject();
    }

    public async Task<HttpStatusCode> GetLogStatusAsync(string id)
    {
        using var response = await _http.GetAsync(Url($"/orchrun/logs/{id}"));
        return response.StatusCode;
    }

    /// <summary>The log's NDJSON text (the JSON string's content).</summary>
    public async Task<string> GetLogAsync(string id)
    {
        using var response = await _http.GetAsync(Url($"/orchrun/logs/{id}"));
        return (await ReadAsync(response, HttpStatusCode.OK))!.GetValue<string>();
    }

    /// <summary>The log's lines as objects.</summary>
    public async Task<List<JsonObject>> GetLogLinesAsync(string id) =>
        (await GetLogAsync(id)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public async Task<JsonObject> CancelAsync(string id)
    {
        using var response = await _http.PutAsJsonAsync(Url($"/orchrun/{id}"), new JsonObject { ["id"] = id });
        return (await ReadAsync(response, HttpStatusCode.OK))!.AsArray().Single()!.AsObject();
    }

    public async Task<HttpStatusCode> DeleteAsync(string id)
    {
        using var response = await _http.DeleteAsync(Url($"/orchrun/{id}"));
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

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (await ReadAsync(response, expected))!.AsObject();

    private Uri Url(string path) => new($"{Base}{path}?nsfilter={Namespace}", UriKind.Relative);
}
