namespace OrchRunService.Application.Common.Metrics;

/// <summary>
/// The values the <c>namespace</c> label of the service's metrics may take: the first
/// <see cref="Max"/> namespaces seen keep their name, every later one is counted under
/// <see cref="Other"/>, so a tenant creating namespaces cannot grow the scrape (and the
/// monitoring system's series) without bound.
/// </summary>
public sealed class NamespaceLabels
{
    public const int DefaultMax = 100;
    public const string Other = "other";
    public const string MaxKey = "Metrics:MaxNamespaceLabels";

    private readonly object _gate = new();
    private readonly HashSet<string> _kept = new(StringComparer.Ordinal);

    public NamespaceLabels(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 0);
        Max = max;
    }

    public int Max { get; }

    /// <summary>The label value for <paramref name="namespace"/>.</summary>
    public string Of(string @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        lock (_gate)
        {
            if (_kept.Contains(@namespace))
            {
                return @namespace;
            }

            if (_kept.Count < Max)
            {
                _kept.Add(@namespace);
                return @namespace;
            }
        }

        return Other;
    }
}
