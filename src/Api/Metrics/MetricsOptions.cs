namespace OrchRunService.Api.Metrics;

/// <summary>
/// Who may read <c>/metrics</c>. The metric names and namespaces tell an outsider about the
/// platform's tenants, so outside Development <c>/metrics</c> is served only once <see cref="Port"/> (a port only the monitoring network
/// reaches) or <see cref="BearerToken"/> (a scrape token), or both, is set, unless <see cref="AllowAnonymous"/> says otherwise.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c> only on this port (and nothing else on it); unset: on the API's ports.</summary>
    public int? Port { get; set; }

    /// <summary>A scraper must send <c>Authorization: Bearer</c> this token; unset: no token needed.</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Serve <c>/metrics</c> to anyone on the API's ports when neither <see cref="Port"/> nor
    /// <see cref="BearerToken"/> is set. Off by default outside Development: then <c>/metrics</c> is 404.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Label the run counters and the queue depth by namespace (<c>false</c> drops the label).</summary>
    public bool NamespaceLabels { get; set; } = true;

    /// <summary>Distinct namespace label values; later namespaces are counted as <c>other</c>.</summary>
    public int MaxNamespaceLabels { get; set; } = Application.Common.Metrics.NamespaceLabels.DefaultMax;

    public void Validate()
    {
        if (Port is < 1 or > 65535)
        {
            throw new InvalidOperationException("Metrics:Port must be a port number (1-65535).");
        }

        if (BearerToken is { Length: > 0 and < 16 })
        {
            throw new InvalidOperationException("Metrics:BearerToken must be at least 16 characters.");
        }

        if (MaxNamespaceLabels < 0)
        {
            throw new InvalidOperationException("Metrics:MaxNamespaceLabels must be 0 or more.");
        }
    }
}
