using System.Globalization;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

/// <summary>Reads the list's text filters; the validator and the handler share it.</summary>
public static class RunListFilterParser
{
    private static readonly Dictionary<string, OrchRunStatus> StatusesByWireName =
        Enum.GetValues<OrchRunStatus>().ToDictionary(WireName, s => s, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] DateOnlyFormats = ["yyyy-MM-dd"];

    public static string WireName(OrchRunStatus status) => status switch
    {
        OrchRunStatus.RequestCancel => "REQUEST_CANCEL",
        _ => status.ToString().ToUpperInvariant(),
    };

    public static IReadOnlyList<string> WireNames { get; } = Enum.GetValues<OrchRunStatus>().Select(WireName).ToList();

    /// <summary>Null or blank means every status.</summary>
    public static bool TryParseStatuses(string? text, out IReadOnlyCollection<OrchRunStatus> statuses)
    {
        var result = new HashSet<OrchRunStatus>();
        statuses = result;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!StatusesByWireName.TryGetValue(part, out var status))
            {
                return false;
            }

            result.Add(status);
        }

        return true;
    }

    /// <summary>The first instant a start date admits.</summary>
    public static bool TryParseStart(string? text, out DateTimeOffset? start) => TryParse(text, endOfDay: false, out start);

    /// <summary>The last instant an end date admits: a date alone admits its whole day.</summary>
    public static bool TryParseEnd(string? text, out DateTimeOffset? end) => TryParse(text, endOfDay: true, out end);

    private static bool TryParse(string? text, bool endOfDay, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        if (text.All(char.IsAsciiDigit))
        {
            if (text.Length > 15 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                return false;
            }

            try
            {
                value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }

        if (DateTime.TryParseExact(text, DateOnlyFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(DateTime.SpecifyKind(day, DateTimeKind.Utc));
            // 9999-12-31 has no next day to step back from; its end is the last instant there is.
            value = !endOfDay ? start
                : day.Date == DateTime.MaxValue.Date ? DateTimeOffset.MaxValue
                : start.AddDays(1).AddTicks(-1);
            return true;
        }

        // ISO 8601 date-time; without an offset it is UTC.
        if (text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            value = instant;
            return true;
        }

        return false;
    }
}
