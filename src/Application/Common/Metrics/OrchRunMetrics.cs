using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrchRunService.Application.Common.Metrics;

/// <summary>
/// The service's own meters (meter "OrchRun"), exported at /metrics in Prometheus text format
/// as orchrun_runs_created_total, orchrun_run_duration_seconds, ...
/// </summary>
public static class OrchRunMetrics
{
    public const string MeterName = "OrchRun";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Created = Meter.CreateCounter<long>("orchrun.runs.created", "{run}", "Runs accepted by create.");
    private static readonly Counter<long> Completed = Meter.CreateCounter<long>("orchrun.runs.completed", "{run}", "Runs that ended COMPLETED.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("orchrun.runs.failed", "{run}", "Runs that ended FAILED.");
    private static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("orchrun.runs.cancelled", "{run}", "Runs that ended CANCELLED.");
    // Seconds, from a millisecond claim to an hour-long run.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    };

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram("orchrun.run.duration", "s", "Execution time of a run on its last attempt.", tags: null, SecondsBuckets);
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram("orchrun.step.duration", "s", "Execution time of a step, by connector and outcome.", tags: null, SecondsBuckets);
    private static readonly Histogram<double> ClaimLatency = Meter.CreateHistogram("orchrun.claim.latency", "s", "Time from create to the first claim.", tags: null, SecondsBuckets);

    /// <summary>For instruments defined elsewhere (the queue depth gauge reads the database).</summary>
    public static Meter SharedMeter => Meter;

    /// <summary>
    /// The bound on <c>namespace</c> label values. The meter is one per process, so the bound is
    /// too: set once at start-up (<c>Metrics:MaxNamespaceLabels</c>).
    /// </summary>
    public static NamespaceLabels Namespaces { get; private set; } = new(NamespaceLabels.DefaultMax);

    public static void LimitNamespaceLabels(int max) => Namespaces = new NamespaceLabels(max);

    public static void RunCreated(string @namespace) => Created.Add(1, new TagList { { "namespace", Namespaces.Of(@namespace) } });

    public static void RunFinished(string @namespace, Domain.OrchRuns.OrchRunStatus status, TimeSpan? duration)
    {
        var tags = new TagList { { "namespace", Namespaces.Of(@namespace) } };
        switch (status)
        {
            case Domain.OrchRuns.OrchRunStatus.Completed:
                Completed.Add(1, tags);
                break;
            case Domain.OrchRuns.OrchRunStatus.Failed:
                Failed.Add(1, tags);
                break;
            case Domain.OrchRuns.OrchRunStatus.Cancelled:
                Cancelled.Add(1, tags);
                break;
            default:
                return;
        }

        if (duration is { } elapsed)
        {
            RunDuration.Record(elapsed.TotalSeconds, new TagList { { "status", status.ToString().ToLowerInvariant() } });
        }
    }

    public static void StepFinished(string connector, string outcome, TimeSpan duration) =>
        StepDuration.Record(duration.TotalSeconds, new TagList { { "connector", connector }, { "outcome", outcome } });

    public static void RunClaimed(TimeSpan sinceCreate) => ClaimLatency.Record(Math.Max(0, sinceCreate.TotalSeconds));
}
