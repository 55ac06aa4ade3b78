namespace OrchRunService.Infrastructure.Retention;

/// <summary>How long finished runs are kept, and how their deletion is cut into short transactions.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Finished (COMPLETED, FAILED, CANCELLED) runs are deleted this many days after they finished; 0 keeps them.</summary>
    public int FinishedRunDays { get; set; } = 30;

    /// <summary>How often the worker looks for runs past their retention.</summary>
    public int IntervalSeconds { get; set; } = 3600;

    /// <summary>Runs chosen per batch; each run is then deleted on its own.</summary>
    public int RunsPerBatch { get; set; } = 50;

    /// <summary>Log lines deleted per statement (each its own short transaction), for retention and for DELETE of a run alike.</summary>
    public int LogLinesPerBatch { get; set; } = 5000;

    public void Validate()
    {
        if (FinishedRunDays < 0 || IntervalSeconds < 1 || RunsPerBatch < 1 || LogLinesPerBatch < 1)
        {
            throw new InvalidOperationException(
                "Retention:FinishedRunDays must be 0 or more; Retention:IntervalSeconds, Retention:RunsPerBatch and Retention:LogLinesPerBatch must be positive.");
        }
    }
}
