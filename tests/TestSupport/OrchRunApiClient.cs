using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OrchRunService.TestSupport;

/// <summary>
/// Calls the API for one namespace. Answers are read as <see cref="JsonNode"/> so tests see the
/// wire format (names and JSON types) exactly, not a deserialised view of it.
/// </summary>
public sealed class OrchRunApiClient : IDisposable
{
    public const string BasePath = "/datasourcesvc/api/v1";
    public const string RunsPath = BasePath + "/orchrun";
    public const string OrchestratorsPath = BasePath + "/orchestrator";
    public const string TestConnectorComponentId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

    public OrchRunApiClient(HttpClient http, string @namespace)
    {
        Http = http;
        Namespace = @namespace;
    }

    public HttpClient Http { get; }

    public string Namespace { get; }

    /// <summary><paramref name="path"/> with nsfilter and any further query (already encoded, without '?' or '&amp;').</summary>
    public string Url(string path, string? query = null) =>
        $"{path}?nsfilter={Uri.EscapeDataString(Namespace)}" + (string.IsNullOrEmpty(query) ? string.Empty : "&" + query);

    public static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    // Orchestrators

    /// <summary>A definition with <paramref name="stepCount"/> test_connector steps, each with <paramref name="stepParams"/> as defaults.</summary>
    public static JsonObject OrchestratorBody(string? name = null, int stepCount = 1, JsonObject? stepParams = null)
    {
        var steps = new JsonArray();
        for (var i = 1; i <= stepCount; i++)
        {
            steps.Add(new JsonObject
            {
                ["_name"] = "test_connector",
                ["_compid"] = TestConnectorComponentId,
                ["_sequenceno"] = i,
                ["_params"] = stepParams?.DeepClone() ?? new JsonObject { ["iterations"] = 0, ["intervalMs"] = 0 },
            });
        }

        return new JsonObject
        {
            ["_name"] = name ?? "Test Instant Orch",
            ["_description"] = "Test Instant Orch",
            ["_usertype"] = "test_instant",
            ["steps"] = steps,
        };
    }

    public Task<HttpResponseMessage> PostOrchestratorAsync(HttpContent content) =>
        Http.PostAsync(Url(OrchestratorsPath), content);

    public async Task<JsonObject> CreateOrchestratorAsync(string? name = null, int stepCount = 1, JsonObject? stepParams = null)
    {
        using var response = await PostOrchestratorAsync(Json(OrchestratorBody(name, stepCount, stepParams)));
        return await ReadObjectAsync(response, HttpStatusCode.OK);
    }

    public Task<HttpResponseMessage> GetOrchestratorAsync(string id) => Http.GetAsync(Url($"{OrchestratorsPath}/{id}"));

    public Task<HttpResponseMessage> ListOrchestratorsAsync(string? query = null) => Http.GetAsync(Url(OrchestratorsPath, query));

    public Task<HttpResponseMessage> PutOrchestratorAsync(string id, HttpContent content) =>
        Http.PutAsync(Url($"{OrchestratorsPath}/{id}"), content);

    public Task<HttpResponseMessage> DeleteOrchestratorAsync(string id) => Http.DeleteAsync(Url($"{OrchestratorsPath}/{id}"));

    // Runs

    public static JsonObject RunBody(string orchestratorId, JsonArray? actualParams = null) => new()
    {
        ["orchestratorId"] = orchestratorId,
        ["_actualparams"] = actualParams ?? [],
    };

    public Task<HttpResponseMessage> PostRunAsync(HttpContent content) => Http.PostAsync(Url(RunsPath), content);

    public Task<HttpResponseMessage> PostRunAsync(string orchestratorId, JsonArray? actualParams = null) =>
        PostRunAsync(Json(RunBody(orchestratorId, actualParams)));

    public async Task<JsonObject> CreateRunAsync(string orchestratorId, JsonArray? actualParams = null)
    {
        using var response = await PostRunAsync(orchestratorId, actualParams);
        return await ReadObjectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>An orchestrator with one test_connector step and one run of it.</summary>
    public async Task<(JsonObject Orchestrator, JsonObject Run)> CreateOrchestratorAndRunAsync()
    {
        var orchestrator = await CreateOrchestratorAsync();
        var run = await CreateRunAsync(IdOf(orchestrator));
        return (orchestrator, run);
    }

    public Task<HttpResponseMessage> GetRunAsync(string id) => Http.GetAsync(Url($"{RunsPath}/{id}"));

    public Task<HttpResponseMessage> GetLogsAsync(string id) => Http.GetAsync(Url($"{RunsPath}/logs/{id}"));

    public Task<HttpResponseMessage> ListRunsAsync(string? query = null) => Http.GetAsync(Url(RunsPath, query));

    public async Task<JsonObject> ListRunsPageAsync(string? query = null)
    {
        using var response = await ListRunsAsync(query);
        return await ReadObjectAsync(response, HttpStatusCode.OK);
    }

    public Task<HttpResponseMessage> CancelRunAsync(string id, string? bodyId) =>
        Http.PutAsync(Url($"{RunsPath}/{id}"), Json(bodyId is null ? new JsonObject() : new JsonObject { ["id"] = bodyId }));

    public Task<HttpResponseMessage> DeleteRunAsync(string id) => Http.DeleteAsync(Url($"{RunsPath}/{id}"));

    // Reading answers

    public static string IdOf(JsonNode node) => node["id"]!.GetValue<string>();

    public static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The body as a JSON object, after checking the status (the body is shown when it differs).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        ThrowUnless(response, expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> ReadArrayAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        ThrowUnless(response, expected, text);
        return JsonNode.Parse(text)!.AsArray();
    }

    public static MediaTypeHeaderValue? ContentTypeOf(HttpResponseMessage response) =>
        response?.Content.Headers.ContentType;

    public void Dispose() => Http.Dispose();

    private static void ThrowUnless(HttpResponseMessage response, HttpStatusCode expected, string text)
    {
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}",
                inner: null,
                response.StatusCode);
        }
    }
}
