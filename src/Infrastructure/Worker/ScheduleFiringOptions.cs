namespace OrchRunService.Infrastructure.Worker;

/// <summary>The firing keys of the <c>Schedules</c> configuration section.</summary>
public sealed class ScheduleFiringOptions
{
    public const string Section = "Schedules";

    /// <summary>How long the scanning node's lease lasts without renewal; another node takes over after it lapses.</summary>
    public int LeaseSeconds { get; set; } = 15;

    /// <summary>The longest the scanning node sleeps between scans (it wakes at the next due slot sooner); new schedules of other nodes are seen within it.</summary>
    public int ScanIntervalMs { get; set; } = 1000;

    public void Validate()
    {
        if (LeaseSeconds < 2)
        {
            throw new InvalidOperationException("Schedules:LeaseSeconds must be at least 2.");
        }

        if (ScanIntervalMs < 10 || ScanIntervalMs >= LeaseSeconds * 1000 / 2)
        {
            throw new InvalidOperationException("Schedules:ScanIntervalMs must be at least 10 and under half of Schedules:LeaseSeconds.");
        }
    }
}
