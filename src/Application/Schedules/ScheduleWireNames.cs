using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules;

/// <summary>The wire spellings of the policies and outcomes; the validators, mapper and handlers share them.</summary>
public static class ScheduleWireNames
{
    private static readonly Dictionary<string, OverlapPolicy> Overlaps = new(StringComparer.Ordinal)
    {
        ["skip"] = OverlapPolicy.Skip,
        ["queue"] = OverlapPolicy.Queue,
        ["cancel-previous"] = OverlapPolicy.CancelPrevious,
    };

    private static readonly Dictionary<string, CatchupPolicy> Catchups = new(StringComparer.Ordinal)
    {
        ["none"] = CatchupPolicy.None,
        ["last"] = CatchupPolicy.Last,
        ["all"] = CatchupPolicy.All,
    };

    public static IReadOnlyCollection<string> OverlapNames => Overlaps.Keys;

    public static IReadOnlyCollection<string> CatchupNames => Catchups.Keys;

    /// <summary>Null (left out) is the default, skip.</summary>
    public static bool TryParseOverlap(string? text, out OverlapPolicy overlap)
    {
        overlap = OverlapPolicy.Skip;
        return text is null || Overlaps.TryGetValue(text, out overlap);
    }

    /// <summary>Null (left out) is the default, none.</summary>
    public static bool TryParseCatchup(string? text, out CatchupPolicy catchup)
    {
        catchup = CatchupPolicy.None;
        return text is null || Catchups.TryGetValue(text, out catchup);
    }

    public static string Of(OverlapPolicy overlap) => Overlaps.First(p => p.Value == overlap).Key;

    public static string Of(CatchupPolicy catchup) => Catchups.First(p => p.Value == catchup).Key;

    public static string Of(FireOutcome outcome) => outcome switch
    {
        FireOutcome.Fired => "fired",
        FireOutcome.SkippedOverlap => "skipped-overlap",
        FireOutcome.RefusedQueueLimit => "refused-queue-limit",
        FireOutcome.Missed => "missed",
        _ => "failed",
    };
}
