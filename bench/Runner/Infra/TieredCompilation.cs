using System.Globalization;

namespace OrchRunService.Bench.Infra;

/// <summary>
/// How busy the .NET JIT's background tiered compilation of a process is: the CPU time (clock
/// ticks, user + system) of its tiered-compilation threads, from /proc. It grows while the code a
/// load runs is recompiled optimised and stops once that code is steady; a worker that has exited
/// counts no more, which is the same verdict. Linked into the Hangfire peer too, so both sides of
/// the end-to-end comparison are warmed by the same rule.
/// </summary>
internal static class TieredCompilation
{
    /// <summary>
    /// Whether tiered compilation was idle during a load of the given length: it used at most 1 %
    /// of one core (and at most 2 ticks of 10 ms in any case). Rarely called methods keep reaching
    /// the tier-up threshold for minutes, so "not at all" would never come; the hot paths are done
    /// long before the JIT's share falls that low.
    /// </summary>
    public static bool WasIdle(long ticks, TimeSpan during) => ticks <= Math.Max(2, (long)(during.TotalSeconds * 100 * 0.01));

    /// <summary>
    /// Warm-up bursts that always run (at most <paramref name="maxBursts"/>): tier-up starts only
    /// after a delay without new quickly-jitted methods, so the first burst can look idle too early.
    /// </summary>
    public static int MinWarmBursts(int maxBursts) => Math.Min(2, maxBursts);

    public static long Ticks(int pid)
    {
        long ticks = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // Fields after "(comm)": state is the first, utime and stime the 12th and 13th.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended while being read.
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return ticks;
    }
}
