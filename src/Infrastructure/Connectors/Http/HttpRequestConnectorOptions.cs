namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>
/// <c>Connectors:HttpRequest</c>: which private addresses the <c>http_request</c> connector may
/// reach. By default none: a step must not reach what the service itself can reach.
/// </summary>
public sealed class HttpRequestConnectorOptions
{
    public const string Section = "Connectors:HttpRequest";

    /// <summary>The longest <c>timeoutMs</c> a step may ask for (10 minutes).</summary>
    public const int MaxTimeoutMs = 600_000;

    /// <summary>Redirects followed per call; each hop is checked like the first request.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Host names (exact, case-insensitive) or CIDR ranges that are allowed even if private.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Allows every private, loopback and link-local address (a trusted single-tenant setup or tests).</summary>
    public bool AllowPrivateNetworks { get; set; }
}
