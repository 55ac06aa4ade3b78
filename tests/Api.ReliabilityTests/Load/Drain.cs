using System.Diagnostics;
using OrchRunService.Api.ReliabilityTests.Support;

namespace OrchRunService.Api.ReliabilityTests.Load;

/// <summary>What waiting for the backlog to finish saw; <see cref="Failure"/> is null when every run ended.</summary>
public sealed record DrainResult(
    int OpenAtStart,
    int Finished,
    double Seconds,
    double LongestStallSeconds,
    double StallLimitSeconds,
    double CeilingSeconds,
    string? Failure)
{
    public bool Drained => Failure is null;

    /// <summary>Runs finished per second over the whole wait.</summary>
    public double RunsPerSecond => Seconds > 0 ? Math.Round(Finished / Seconds, 1) : 0;

    public Dictionary<string, object?> Figures() => new()
    {
        ["open_at_start"] = OpenAtStart,
        ["finished"] = Finished,
        ["seconds"] = Math.Round(Seconds, 1),
        ["runs_per_second"] = RunsPerSecond,
        ["longest_stall_s"] = Math.Round(LongestStallSeconds, 1),
        ["stall_limit_s"] = StallLimitSeconds,
        ["ceiling_s"] = Math.Round(CeilingSeconds),
        ["drained"] = Drained,
        ["failure"] = Failure,
    };
}

/// <summary>
/// Waits for a backlog of runs to end, on progress rather than on a fixed clock: it goes on while
/// runs keep finishing, and gives up only when none has finished for <see cref="StallLimit"/>
/// (a stall: something holds the worker) or past a ceiling derived from the backlog and the
/// worker's slots (far slower than the worker can be, even on a loaded machine).
/// </summary>
public static class Drain
{
    /// <summary>
    /// Nothing finishing for this long is a stall: ten 3 s leases, many times the longest run of
    /// these tests (about 1 s), so a crashed node's expired leases and a busy machine fit in it.
    /// </summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    /// <summary>How many times slower than its nominal rate (slots / run length) the worker may drain before the ceiling fails it.</summary>
    private const double CeilingSlack = 5;

    private const string OpenRunsSql = """SELECT count(*) FROM "OrchRuns" WHERE "Status" IN (1, 2, 3)""";

    /// <summary>
    /// Waits until no run is QUEUED, RUNNING or REQUEST_CANCEL. The ceiling is
    /// backlog × <paramref name="nominalRunTime"/> / <paramref name="slots"/> × 5, plus a minute.
    /// </summary>
    public static async Task<DrainResult> UntilAllTerminalAsync(DatabaseProbe probe, int slots, TimeSpan nominalRunTime)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var openAtStart = (int)probe.Count(OpenRunsSql);
        var ceiling = TimeSpan.FromMinutes(1) + (nominalRunTime * (openAtStart * CeilingSlack / slots));
        var clock = Stopwatch.StartNew();
        var open = openAtStart;
        var lastProgress = TimeSpan.Zero;
        var longestStall = TimeSpan.Zero;
        string? failure = null;
        while (open > 0)
        {
            await Task.Delay(250);
            var now = (int)probe.Count(OpenRunsSql);
            var sinceProgress = clock.Elapsed - lastProgress;
            longestStall = sinceProgress > longestStall ? sinceProgress : longestStall;
            if (now < open)
            {
                lastProgress = clock.Elapsed;
            }

            open = now;
            if (open > 0 && clock.Elapsed - lastProgress > StallLimit)
            {
                failure = $"stalled: no run finished for {StallLimit.TotalSeconds:0} s, {open} still open ({OpenByStatus(probe)})";
                break;
            }

            if (open > 0 && clock.Elapsed > ceiling)
            {
                failure = $"past the ceiling of {ceiling.TotalSeconds:0} s for {openAtStart} runs on {slots} slots, {open} still open ({OpenByStatus(probe)})";
                break;
            }
        }

        clock.Stop();
        var finished = openAtStart - open;
        return new DrainResult(openAtStart, finished, clock.Elapsed.TotalSeconds, longestStall.TotalSeconds, StallLimit.TotalSeconds, ceiling.TotalSeconds, failure);
    }

    private static string OpenByStatus(DatabaseProbe probe) => string.Join(", ", probe.Column(
        """SELECT "Status", count(*) FROM "OrchRuns" WHERE "Status" IN (1, 2, 3) GROUP BY "Status" """,
        r => $"{Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)} {(r.GetInt32(0) switch { 1 => "QUEUED", 2 => "RUNNING", _ => "REQUEST_CANCEL" })}"));
}
