using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.Connectors;

/// <summary>
/// Calls an HTTP endpoint. Parameters: <c>url</c> (required, http or https), <c>method</c>
/// (GET), <c>headers</c> (object of strings), <c>body</c> (a string is sent as text/plain, any
/// other JSON as application/json), <c>expectedStatusCodes</c> (array; default any 2xx),
/// <c>timeoutMs</c> (30000, at most <see cref="HttpRequestConnectorOptions.MaxTimeoutMs"/>).
/// Only addresses <see cref="NetworkAddressPolicy"/> allows are connected (see
/// <see cref="GuardedConnection"/>); redirects are followed here, at most
/// <see cref="HttpRequestConnectorOptions.MaxRedirects"/>, each through the same check.
/// </summary>
internal sealed class HttpRequestConnector : IConnector
{
    public const string HttpClientName = "http_request";

    public static readonly Guid Id = Guid.Parse("3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d");

    private static readonly string[] ContentHeaders = ["Content-Type", "Content-Length", "Content-Encoding", "Content-Language"];

    /// <summary>Headers that steer the connection itself (RFC 9110 7.6.1) or pick the virtual host.</summary>
    private static readonly HashSet<string> ForbiddenHeaders = new(
        ["Host", "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade"], StringComparer.OrdinalIgnoreCase);

    private static readonly ConnectorParameter TimeoutMs = ConnectorParameter.Integer(
        "timeoutMs", 30_000, 1, HttpRequestConnectorOptions.MaxTimeoutMs, "Time limit of the request, in milliseconds.");

    private static readonly HashSet<string> CredentialHeaders = new(["Authorization", "Cookie"], StringComparer.OrdinalIgnoreCase);

    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger<HttpRequestConnector> _logger;

    public HttpRequestConnector(IHttpClientFactory httpClients, ILogger<HttpRequestConnector> logger)
    {
        _httpClients = httpClients;
        _logger = logger;
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
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsHttp(uri))
        {
            throw new ConnectorFailedException("Parameter 'url' must be an absolute http or https URL.");
        }

        var method = new HttpMethod((parameters.GetString("method") ?? "GET").ToUpperInvariant());
        var timeoutMs = parameters.GetInt(TimeoutMs);
        var expected = ReadExpectedStatusCodes(parameters);
        var headers = ReadHeaders(parameters);

        // The client's own timeout is infinite (see the registration): the step's timeoutMs rules.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutMs);
        // The URL as logs and messages show it: no user-info, no query values.
        var shown = UrlRedaction.ForLog(uri);
        context.Log.Info($"HTTP {method} {shown}, orch_run_id: {context.RunId}");
        var clock = Stopwatch.StartNew();
        var client = _httpClients.CreateClient(HttpClientName);
        var target = uri;
        var sendBody = true;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, target) { Content = sendBody ? ReadBody(parameters) : null };
            AddHeaders(request, headers, sameOrigin: SameOrigin(uri, target));
            using var response = await SendAsync(client, request, method, shown, timeoutMs, cancellationToken, timeout.Token);
            var code = (int)response.StatusCode;
            if (IsRedirect(code) && response.Headers.Location is { } location)
            {
                if (hop == HttpRequestConnectorOptions.MaxRedirects)
                {
                    throw new ConnectorFailedException($"HTTP {method} {shown} was redirected more than {HttpRequestConnectorOptions.MaxRedirects} times.");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                if (!IsHttp(next))
                {
                    throw new ConnectorFailedException($"HTTP {method} {shown} was redirected to a URL that is not http or https.");
                }

                context.Log.Info($"HTTP {method} {shown} redirected ({code}) to {UrlRedaction.ForLog(next)}, orch_run_id: {context.RunId}");

                // As browsers do: 303, and 301/302 after a POST, go on as a GET without the body.
                if (code == 303 || (code is 301 or 302 && method == HttpMethod.Post))
                {
                    method = method == HttpMethod.Head ? method : HttpMethod.Get;
                    sendBody = false;
                }

                target = next;
                continue;
            }

            context.Log.Info($"HTTP {method} {shown} answered {code} in {clock.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms, orch_run_id: {context.RunId}");
            var accepted = expected is null ? code is >= 200 and < 300 : expected.Contains(code);
            if (!accepted)
            {
                var wanted = expected is null ? "2xx" : string.Join(", ", expected);
                throw new ConnectorFailedException($"HTTP {method} {shown} answered {code}; expected {wanted}.");
            }

            return;
        }
    }

    public string? ParameterProblem(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return headers.EnumerateObject().Select(h => ForbiddenHeaderProblem(h.Name)).FirstOrDefault(p => p is not null);
    }

    private static string? ForbiddenHeaderProblem(string name) =>
        ForbiddenHeaders.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
            ? $"Header '{name}' cannot be set: the connection's own headers (Host and hop-by-hop headers) are not taken from params."
            : null;

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;

    private static bool IsRedirect(int code) => code is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri first, Uri other) =>
        Uri.Compare(first, other, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpRequestMessage request, HttpMethod method, string shown, int timeoutMs, CancellationToken stop, CancellationToken timeout)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new ConnectorFailedException($"HTTP {method} {shown} timed out after {timeoutMs} ms.");
        }
        catch (HttpRequestException ex)
        {
            // The exception's own text names internal addresses and ports: the user gets what
            // they can act on, the service's log keeps the detail.
            _logger.LogWarning(ex, "http_request to {Host} failed", request.RequestUri?.Host);
            throw new ConnectorFailedException($"HTTP {method} {shown} failed: {UserReason(ex, request.RequestUri!)}.", ex);
        }
    }

    private static string UserReason(HttpRequestException failure, Uri target)
    {
        if (failure.InnerException is AddressRefusedException refused)
        {
            return refused.Message;
        }

        return failure.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"the name {target.Host} could not be resolved",
            HttpRequestError.ConnectionError => $"could not connect to {target.Host}",
            HttpRequestError.SecureConnectionError => $"the TLS connection to {target.Host} could not be established",
            _ => $"the exchange with {target.Host} broke off",
        };
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

    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement parameters)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (!parameters.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return result;
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

            if (ForbiddenHeaderProblem(header.Name) is { } problem)
            {
                throw new ConnectorFailedException(problem);
            }

            result.Add(new(header.Name, header.Value.GetString()!));
        }

        return result;
    }

    private static void AddHeaders(HttpRequestMessage request, List<KeyValuePair<string, string>> headers, bool sameOrigin)
    {
        foreach (var (name, value) in headers)
        {
            // Credentials go to the origin the user named, not to wherever it redirects.
            if (!sameOrigin && CredentialHeaders.Contains(name))
            {
                continue;
            }

            if (ContentHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                if (request.Content is not null && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    && MediaTypeHeaderValue.TryParse(value, out var mediaType))
                {
                    request.Content.Headers.ContentType = mediaType;
                }
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ConnectorFailedException($"Header '{name}' cannot be set.");
            }
        }
    }
}
