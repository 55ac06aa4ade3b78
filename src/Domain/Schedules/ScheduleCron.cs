using System.Text.RegularExpressions;
using Cronos;
using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Schedules;

/// <summary>
/// A cron expression in an IANA time zone: 5 fields (minute first) or 6 (seconds first), as
/// Cronos parses them. Daylight-saving changes follow Cronos: a fire time inside a
/// spring-forward gap fires at the end of the gap (02:30 in Europe/Berlin fires at 03:00 CEST);
/// in a fall-back repeat a fixed time fires once, at its first (summer-time) instance, while an
/// expression with a step or range in its seconds, minutes or hours field fires in both.
/// </summary>
public sealed partial class ScheduleCron
{
    public const int MaxExpressionLength = 200;
    public const int MaxTimeZoneLength = 64;
    public const string DefaultTimeZone = "UTC";

    // The minimum-interval check walks fire times from a fixed instant, up to these bounds.
    private const int IntervalCheckOccurrences = 10_000;
    private static readonly DateTime IntervalCheckFrom = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan IntervalCheckSpan = TimeSpan.FromDays(400);

    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private ScheduleCron(string expression, CronExpression parsed, string timeZone, TimeZoneInfo zone)
    {
        Expression = expression;
        _expression = parsed;
        TimeZone = timeZone;
        _zone = zone;
    }

    /// <summary>The expression as given (trimmed).</summary>
    public string Expression { get; }

    /// <summary>The IANA time zone id the expression's fields are read in.</summary>
    public string TimeZone { get; }

    /// <summary>
    /// Parses <paramref name="expression"/> in <paramref name="timeZone"/> (UTC when empty) and
    /// refuses one that never fires or fires twice within <paramref name="minimumInterval"/>.
    /// </summary>
    public static ScheduleCron Parse(string? expression, string? timeZone, TimeSpan minimumInterval)
    {
        var cron = ParseFields(expression, timeZone);
        cron.EnsureIntervalAtLeast(minimumInterval);
        return cron;
    }

    /// <summary>
    /// A stored schedule's cron, checked when it was saved: parsed again without walking its fire
    /// times (that walk costs milliseconds, and a fire reads many schedules).
    /// </summary>
    public static ScheduleCron Restore(string expression, string timeZone) => ParseFields(expression, timeZone);

    private static ScheduleCron ParseFields(string? expression, string? timeZone)
    {
        var text = expression?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DomainValidationException("Cron", "_cron is required.");
        }

        if (text.Length > MaxExpressionLength)
        {
            throw new DomainValidationException("Cron", $"_cron has at most {MaxExpressionLength} characters.");
        }

        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => throw new DomainValidationException("Cron", "_cron must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)."),
        };

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(text, format);
        }
        catch (CronFormatException ex)
        {
            throw new DomainValidationException("Cron", $"_cron is not a valid cron expression: {ex.Message}");
        }

        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? DefaultTimeZone : timeZone.Trim();
        return new ScheduleCron(text, parsed, zoneId, FindZone(zoneId));
    }

    /// <summary>The first fire time strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var next = _expression.GetNextOccurrence(after.UtcDateTime, _zone, inclusive: false);
        return next is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    /// <summary>The first fire time at or after <paramref name="from"/>, or null when there is none.</summary>
    public DateTimeOffset? NextFrom(DateTimeOffset from)
    {
        var next = _expression.GetNextOccurrence(from.UtcDateTime, _zone, inclusive: true);
        return next is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    private static TimeZoneInfo FindZone(string zoneId)
    {
        // Checked before the lookup: the id names a file under the zoneinfo folder.
        if (zoneId.Length > MaxTimeZoneLength || !ZoneIdPattern().IsMatch(zoneId))
        {
            throw new DomainValidationException("TimeZone", $"_timezone '{Shorten(zoneId)}' is not an IANA time zone id (like Europe/Berlin).");
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            if (!zone.HasIanaId)
            {
                throw new DomainValidationException("TimeZone", $"_timezone '{zoneId}' is not an IANA time zone id (like Europe/Berlin).");
            }

            return zone;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new DomainValidationException("TimeZone", $"_timezone '{zoneId}' is not a known IANA time zone.");
        }
    }

    private void EnsureIntervalAtLeast(TimeSpan minimum)
    {
        // Walked in UTC from a fixed instant: the gap between two fire times does not depend on
        // when the schedule is created, and a daylight-saving shift never brings two closer.
        DateTime? previous = null;
        var end = IntervalCheckFrom + IntervalCheckSpan;
        var from = IntervalCheckFrom;
        for (var i = 0; i < IntervalCheckOccurrences; i++)
        {
            var next = _expression.GetNextOccurrence(from, TimeZoneInfo.Utc, inclusive: previous is null);
            if (next is not { } current || current > end)
            {
                break;
            }

            if (previous is { } earlier && current - earlier < minimum)
            {
                throw new DomainValidationException(
                    "Cron",
                    $"_cron fires every {(current - earlier).TotalSeconds:0.###} s; the minimum interval is {minimum.TotalSeconds:0} s (Schedules:MinIntervalSeconds).");
            }

            previous = current;
            from = current;
        }

        if (previous is null && _expression.GetNextOccurrence(IntervalCheckFrom, TimeZoneInfo.Utc) is null)
        {
            throw new DomainValidationException("Cron", "_cron never fires.");
        }
    }

    private static string Shorten(string text) => text.Length <= MaxTimeZoneLength ? text : text[..MaxTimeZoneLength] + "…";

    // Area/Location[/Sub] or a single name (UTC), letters, digits, '_', '+' and '-' only: no "..", no rooted path.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9][A-Za-z0-9_+\-]*){0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneIdPattern();
}
