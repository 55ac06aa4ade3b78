using Microsoft.Extensions.Configuration;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules;

/// <summary>The <c>Schedules</c> configuration section's rules for the API and the firing.</summary>
public sealed record ScheduleSettings(ScheduleLimit Limit, TimeSpan MinInterval, ScheduleFiringRules Firing)
{
    public const string Section = "Schedules";
    public const int DefaultMinIntervalSeconds = 60;

    /// <summary>How many next fire times an answer lists.</summary>
    public const int NextFireTimesShown = 5;

    public static ScheduleSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var minInterval = section.GetValue("MinIntervalSeconds", DefaultMinIntervalSeconds);
        var grace = section.GetValue("MisfireGraceSeconds", (int)ScheduleFiringRules.Default.MisfireGrace.TotalSeconds);
        var catchupLimit = section.GetValue("CatchupLimit", ScheduleFiringRules.Default.CatchupLimit);
        Require(minInterval >= 1, "Schedules:MinIntervalSeconds must be at least 1.");
        Require(grace >= 1, "Schedules:MisfireGraceSeconds must be at least 1.");
        Require(catchupLimit >= 1, "Schedules:CatchupLimit must be at least 1.");
        return new ScheduleSettings(
            new ScheduleLimit(section.GetValue("MaxPerNamespace", ScheduleLimit.Default)),
            TimeSpan.FromSeconds(minInterval),
            ScheduleFiringRules.Default with { MisfireGrace = TimeSpan.FromSeconds(grace), CatchupLimit = catchupLimit });
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
