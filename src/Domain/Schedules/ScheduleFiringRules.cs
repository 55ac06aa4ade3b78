namespace OrchRunService.Domain.Schedules;

/// <summary>
/// The service-wide rules that decide which due slots fire.
/// </summary>
/// <param name="MisfireGrace">How late a slot may be handled and still count as on time (fires whatever the catch-up policy).</param>
/// <param name="CatchupLimit">With catch-up <c>all</c>, how many late slots fire at most (the most recent ones).</param>
/// <param name="MaxSlotsPerPass">How many due slots of one schedule one pass handles; the rest wait for the next pass.</param>
public sealed record ScheduleFiringRules(TimeSpan MisfireGrace, int CatchupLimit, int MaxSlotsPerPass)
{
    public static readonly ScheduleFiringRules Default = new(TimeSpan.FromSeconds(60), 10, 1000);
}
