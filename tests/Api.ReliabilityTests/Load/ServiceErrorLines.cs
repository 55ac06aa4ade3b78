using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrchRunService.Api.ReliabilityTests.Load;

/// <summary>
/// The error-level lines of the service's JSON log, grouped by logger and the first line of
/// their message, so a soak can report what it saw and fail on any error at all.
/// </summary>
public static partial class ServiceErrorLines
{
    public static List<string> In(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n').Where(l => l.Contains("\"level\":\"error\"", StringComparison.Ordinal)).ToList();
    }

    /// <summary>"logger: first line of the message [innermost exception]" → count; timings are left out so like lines group.</summary>
    public static Dictionary<string, int> Kinds(IEnumerable<string> lines) =>
        lines.Select(KindOf).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static string KindOf(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var logger = json.RootElement.TryGetProperty("logger", out var l) ? l.GetString() : "?";
            var message = json.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            var first = Timing().Replace(message.Split('\n')[0], "");
            var exception = json.RootElement.TryGetProperty("exception", out var e) ? e.GetString() ?? "" : "";
            var cause = InnerException().Matches(message + "\n" + exception).LastOrDefault()?.Groups[1].Value
                ?? exception.Split('\n')[0];
            return $"{logger}: {(first.Length > 100 ? first[..100] : first)}" + (cause.Length > 0 ? $" [{cause.Trim()}]" : "");
        }
        catch (JsonException)
        {
            return "(not JSON) " + (line.Length > 160 ? line[..160] : line);
        }
    }

    [GeneratedRegex(@" ?\(\d+ms\)")]
    private static partial Regex Timing();

    [GeneratedRegex(@"---> ([^\n]*)")]
    private static partial Regex InnerException();
}
