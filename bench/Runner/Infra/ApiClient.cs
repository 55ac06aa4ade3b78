using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.TestSupport;

namespace OrchRunService.Bench.Infra;

/// <summary>The tests' shared HTTP client (<see cref="ServiceHttp"/>) on the API with the bench's bearer token.</summary>
internal sealed class ApiClient : IDisposable
{
    public const string BasePath = OrchRunApiClient.BasePath;

    private readonly HttpClient _http;

    public ApiClient(Uri baseUrl, string token, int connections = 16)
    {
        _http = ServiceHttp.Create(baseUrl, token, TimeSpan.FromMinutes(5), connections, connectionLifetime: Timeout.InfiniteTimeSpan);
        Token = token;
    }

    public string Token { get; }

    public Uri BaseUrl => _http.BaseAddress!;

    public static string Orchestrators(string ns) => $"{BasePath}/orchestrator?nsfilter={ns}";

    public static string Runs(string ns) => $"{BasePath}/orchrun?nsfilter={ns}";

    public static string Run(string ns, string id) => $"{BasePath}/orchrun/{id}?nsfilter={ns}";

    public static string Logs(string ns, string id) => $"{BasePath}/orchrun/logs/{id}?nsfilter={ns}";

    /// <summary>A one-step test_connector orchestrator with the given parameters: (orchestrator id, step id).</summary>
    public async Task<(string Id, string StepId)> CreateOrchestratorAsync(string ns, int iterations, int intervalMs)
    {
        var body = new JsonObject
        {
            ["_name"] = "bench no-op",
            ["_description"] = "bench: one no-op test_connector step",
            ["_usertype"] = "bench",
            ["steps"] = new JsonArray(new JsonObject
            {
                ["_name"] = "test_connector",
                ["_compid"] = OrchRunApiClient.TestConnectorComponentId,
                ["_params"] = new JsonObject { ["iterations"] = iterations, ["intervalMs"] = intervalMs },
            }),
        }.ToJsonString();
        var json = await SendJsonAsync(HttpMethod.Post, Orchestrators(ns), body);
        return (json["id"]!.GetValue<string>(), json["steps"]![0]!["id"]!.GetValue<string>());
    }

    public async Task<string> CreateRunAsync(string ns, string orchestratorId, string stepId)
    {
        var body = "{\"orchestratorId\":\"" + orchestratorId + "\",\"_actualparams\":[{\"sequence_type_id\":\"" + stepId
            + "\",\"params\":{\"_fileId\":\"cb8d42b2\"}}]}";
        var json = await SendJsonAsync(HttpMethod.Post, Runs(ns), body);
        return json["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> SendJsonAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>GET with the body read to its end: (elapsed ms, body bytes, content type).</summary>
    public async Task<(double Ms, byte[] Body, string ContentType)> TimedGetAsync(string path, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        return (ms, body, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
    }

    /// <summary>GET that streams the body and counts its bytes without keeping it: (elapsed ms, bytes).</summary>
    public async Task<(double Ms, long Bytes)> TimedStreamAsync(string path)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, total);
    }

    public async Task PutStaticAsync(string key, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.PutAsync(new Uri($"/bench/static/{key}", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    public static JsonNode Parse(byte[] body) => JsonNode.Parse(body)!;

    public static string Compact(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public void Dispose() => _http.Dispose();
}
