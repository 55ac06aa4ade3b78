using System.Text;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>What the fuzzer tried and what broke, grouped so a report shows each distinct defect once with an example.</summary>
public sealed class FuzzStatistics
{
    private readonly Dictionary<string, (int Count, string Example, string Body)> _violations = new(StringComparer.Ordinal);

    public int Cases { get; set; }

    public int ClientErrors { get; private set; }

    public int Successes { get; private set; }

    public int UnchangedChecks { get; set; }

    /// <summary>Requests Kestrel refused as HTTP before the application saw them (see <see cref="ResponseChecks.IsProtocolRejection"/>).</summary>
    public int ProtocolRejections { get; set; }

    /// <summary>Of those, request lines so long that the connection was reset before the client could read the 414.</summary>
    public int ProtocolRejectionsUnread { get; set; }

    public int ViolationCount { get; private set; }

    public SortedDictionary<string, int> ByOperation { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> ByStatus { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);

    public void Count(FuzzRequest request, int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        Increment(ByOperation, request.Operation.OperationId);
        Increment(ByStatus, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var kind in request.Kinds.Distinct(StringComparer.Ordinal).DefaultIfEmpty("valid"))
        {
            Increment(ByKind, kind);
        }

        if (status is >= 400 and < 500)
        {
            ClientErrors++;
        }
        else if (status is >= 200 and < 300)
        {
            Successes++;
        }
    }

    public void Violation(FuzzRequest request, string violation, string body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ViolationCount++;
        var key = request.Operation.OperationId + ": " + violation.Split(':')[0];
        _violations[key] = _violations.TryGetValue(key, out var seen)
            ? (seen.Count + 1, seen.Example, seen.Body)
            : (1, violation + "\n    request: " + request, body.Length > 800 ? body[..800] + "..." : body);
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Cases} cases: {Successes} 2xx, {ClientErrors} 4xx ({ProtocolRejections} refused by Kestrel as HTTP), {ViolationCount} violations");
        text.AppendLine("by operation: " + string.Join(", ", ByOperation.Select(p => $"{p.Key} {p.Value}")));
        text.AppendLine("by status: " + string.Join(", ", ByStatus.Select(p => $"{p.Key} {p.Value}")));
        text.AppendLine("by kind: " + string.Join(", ", ByKind.Select(p => $"{p.Key} {p.Value}")));
        return text.ToString();
    }

    public string DescribeViolations()
    {
        var text = new StringBuilder($"{ViolationCount} violations in {_violations.Count} groups:\n");
        foreach (var (key, (count, example, body)) in _violations.Take(40))
        {
            text.AppendLine($"- {key} (x{count})\n    {example}\n    answer: {body}");
        }

        return text.ToString();
    }

    private static void Increment(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
