using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Connectors;

/// <summary>
/// Calls an HTTP endpoint. Parameters: <c>url</c> (required, http or https), <c>method</c>
/// (GET), <c>headers</c> (object of strings), <c>body</c> (a string is sent as text/plain, any
/// other JSON as application/json), <c>expectedStatusCodes</c> (array; default any 2xx),
/// <c>timeoutMs</c> (30000).
/// </summary>
internal sealed class HttpRequestConnector : IConnector
{
    public const string HttpClientName = "http_request";

    public static readonly Guid Id = Guid.Parse("3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d");

    private static readonly string[] ContentHeaders = ["Content-Type", "Content-Length", "Content-Encoding", "Content-Language"];

    private static readonly ConnectorParameter TimeoutMs = ConnectorParameter.Integer("timeoutMs", 30_000, 1, 600_000, "Time limit of the request, in milliseconds.");

    private readonly IHttpClientFactory _httpClients;

    public HttpRequestConnector(IHttpClientFactory httpClients)
    {
        _httpClients = httpClients;
    }

    public Guid ComponentId => Id;

    public string Name => "http_request";

    public IReadOnlyList<ConnectorParameter> Parameters { get; } =
    [
        new("url", "string", null, null, null, Required: true, "The absolute http or https URL to call."),
        new("method", "string", "\"GET\"", null, null, Required: false, "The HTTP method."),
        new("headers", "object", null, null, null, Required: false, "Request headers: an object of strings."),
        new("body", "any", null, null, null, Required: false, "A string is sent as text/plain, any other JSON as application/json."),
        new("expectedStatusCodes", "array", null, 100, 599, Required: false, "Status codes that count as success (default any 2xx)."),
        TimeoutMs,
    ];

    public async Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var url = parameters.GetString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConnectorFailedException("Parameter 'url' must be an absolute http or https URL.");
        }

        var method = new HttpMethod((parameters.GetString("method") ?? "GET").ToUpperInvariant());
        var timeoutMs = parameters.GetInt(TimeoutMs);
        var expected = ReadExpectedStatusCodes(parameters);

        using var request = new HttpRequestMessage(method, uri) { Content = ReadBody(parameters) };
        AddHeaders(request, parameters);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutMs);
        context.Log.Info($"HTTP {method} {uri}, orch_run_id: {context.RunId}");
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectorFailedException($"HTTP {method} {uri} timed out after {timeoutMs} ms.");
        }
        catch (HttpRequestException ex)
        {
            throw new ConnectorFailedException($"HTTP {method} {uri} failed: {ex.Message}", ex);
        }

        using (response)
        {
            var code = (int)response.StatusCode;
            context.Log.Info($"HTTP {method} {uri} answered {code} in {clock.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms, orch_run_id: {context.RunId}");
            var accepted = expected is null ? code is >= 200 and < 300 : expected.Contains(code);
            if (!accepted)
            {
                var wanted = expected is null ? "2xx" : string.Join(", ", expected);
                throw new ConnectorFailedException($"HTTP {method} {uri} answered {code}; expected {wanted}.");
            }
        }
    }

    private static HashSet<int>? ReadExpectedStatusCodes(JsonElement parameters)
    {
        if (!parameters.TryGetProperty("expectedStatusCodes", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var c) || c is < 100 or > 599))
        {
            throw new ConnectorFailedException("Parameter 'expectedStatusCodes' must be a non-empty array of HTTP status codes.");
        }

        return value.EnumerateArray().Select(v => v.GetInt32()).ToHashSet();
    }

    private static HttpContent? ReadBody(JsonElement parameters)
    {
        if (!parameters.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return body.ValueKind == JsonValueKind.String
            ? new StringContent(body.GetString()!, Encoding.UTF8, "text/plain")
            : new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
    }

    private static void AddHeaders(HttpRequestMessage request, JsonElement parameters)
    {
        if (!parameters.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (headers.ValueKind != JsonValueKind.Object)
        {
            throw new ConnectorFailedException("Parameter 'headers' must be an object of header names to string values.");
        }

        foreach (var header in headers.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                throw new ConnectorFailedException($"Header '{header.Name}' must have a string value.");
            }

            var value = header.Value.GetString()!;
            if (ContentHeaders.Contains(header.Name, StringComparer.OrdinalIgnoreCase))
            {
                if (request.Content is not null && header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    && MediaTypeHeaderValue.TryParse(value, out var mediaType))
                {
                    request.Content.Headers.ContentType = mediaType;
                }
            }
            else if (!request.Headers.TryAddWithoutValidation(header.Name, value))
            {
                throw new ConnectorFailedException($"Header '{header.Name}' cannot be set.");
            }
        }
    }
}
