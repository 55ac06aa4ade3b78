using System.Globalization;

namespace OrchRunService.Bench;

/// <summary>What one bench run measures and how long it may take; <c>--quick</c> and <c>--smoke</c> shrink it.</summary>
internal sealed record BenchSettings
{
    public required string Mode { get; init; }

    public required string RepoRoot { get; init; }

    /// <summary>Runs in each growth namespace (one namespace per size, seeded directly).</summary>
    public required int[] GrowthSizes { get; init; }

    /// <summary>The growth namespace on which the API ceiling is measured.</summary>
    public required int CeilingSize { get; init; }

    /// <summary>Length of one endpoint's warm-up window; the warm-up loads every endpoint in turn.</summary>
    public required int WrkWarmupWindowSeconds { get; init; }

    /// <summary>Least warm-up time (all endpoints).</summary>
    public required int WrkWarmupMinSeconds { get; init; }

    /// <summary>Most warm-up time (all endpoints): the JIT's tier-up of the API's code takes a minute or more on one busy core.</summary>
    public required int WrkWarmupBudgetSeconds { get; init; }

    public required int WrkSeconds { get; init; }

    public required int WrkRounds { get; init; }

    public int WrkConnections { get; init; } = 16;

    public required int FirstPageSamples { get; init; }

    public required int DeepPageSamples { get; init; }

    public required int TotalSamples { get; init; }

    /// <summary>Upper bound of the time spent on one growth figure at one size.</summary>
    public required TimeSpan GrowthBudget { get; init; }

    public required int EndToEndRuns { get; init; }

    public int EndToEndClients { get; init; } = 8;

    public required int LowLoadRuns { get; init; }

    /// <summary>Runs (jobs) per warm-up burst of the end-to-end comparison, on both sides.</summary>
    public required int WarmBurstRuns { get; init; }

    /// <summary>Most warm-up bursts: they repeat until one passes with the JIT's tiered compilation idle.</summary>
    public required int MaxWarmBursts { get; init; }

    public int LowLoadGapMs { get; init; } = 20;

    public required int LogLines { get; init; }

    public required int LogServes { get; init; }

    /// <summary>The Hangfire peer's configurations: concurrent enqueuers (1 avoids SQLite's writer contention, 8 as the service's clients).</summary>
    public int[] HangfireEnqueuers { get; init; } = [1, 8];

    /// <summary>Hangfire.Storage.SQLite's QueuePollInterval values (default 15 s; must be above zero).</summary>
    public int[] HangfirePollMs { get; init; } = [50, 100, 1000];

    /// <summary>Hangfire workers: the service's Worker:MaxConcurrentRuns default (8) and a little more.</summary>
    public int[] HangfireWorkers { get; init; } = [8, 10];

    /// <summary>Jobs in each configuration's one measured burst of the sweep (fewer than the service's burst, for time).</summary>
    public required int HangfireSweepJobs { get; init; }

    /// <summary>Seconds between the end of a measured burst and the idle-after-load RSS samples, on both sides.</summary>
    public required int IdleSettleSeconds { get; init; }

    /// <summary>Longest sampling of the start-up figure (1-s wrk slices from a freshly started service).</summary>
    public required int WarmUpSampleSeconds { get; init; }

    /// <summary>Slices kept after the start-up figure's threshold was reached (the curve's plateau).</summary>
    public required int WarmUpTailSeconds { get; init; }

    /// <summary>The status filter of the list figures (one of the seeded terminal statuses).</summary>
    public string StatusFilter { get; init; } = "FAILED";

    public bool WriteDocs { get; init; } = true;

    /// <summary>Keep the databases and server logs of the run in bench/results/&lt;mode&gt;.tmp (for profiling).</summary>
    /// <summary>Only figure 6, PostgreSQL beside SQLite (<c>--postgres</c>), into bench/results/postgres.json; the docs are not rewritten.</summary>
    public bool PostgresOnly { get; init; }

    /// <summary>Only figure 7, the schedule fire lag (<c>--schedules</c>), into bench/results/schedules.json; the docs are not rewritten.</summary>
    public bool SchedulesOnly { get; init; }

    public bool Keep { get; init; }

    public required string ResultsFile { get; init; }

    public string ResultsDir => Path.Combine(RepoRoot, "bench", "results");

    public string WorkDir => Path.Combine(ResultsDir, Mode + ".tmp");

    public string DocsFile => Path.Combine(RepoRoot, "docs", "benchmarks.md");

    public string PlotsDir => Path.Combine(RepoRoot, "docs", "benchmarks");

    public static BenchSettings Parse(string[] args)
    {
        var mode = args.Contains("--smoke") ? "smoke" : args.Contains("--quick") ? "quick" : "full";
        var root = FindRepoRoot();
        var settings = mode switch
        {
            "smoke" => new BenchSettings
            {
                Mode = mode, RepoRoot = root, GrowthSizes = [200, 2_000], CeilingSize = 2_000,
                WrkWarmupWindowSeconds = 1, WrkWarmupMinSeconds = 1, WrkWarmupBudgetSeconds = 3, WrkSeconds = 1, WrkRounds = 1,
                FirstPageSamples = 20, DeepPageSamples = 5, TotalSamples = 10, GrowthBudget = TimeSpan.FromSeconds(3),
                EndToEndRuns = 50, HangfireSweepJobs = 25, IdleSettleSeconds = 1, WarmUpSampleSeconds = 6, WarmUpTailSeconds = 1, LowLoadRuns = 10, WarmBurstRuns = 20, MaxWarmBursts = 1, LogLines = 1_000, LogServes = 1,
                WriteDocs = false, ResultsFile = Path.Combine(root, "bench", "results", "smoke.json"),
            },
            "quick" => new BenchSettings
            {
                Mode = mode, RepoRoot = root, GrowthSizes = [10_000, 100_000, 1_000_000], CeilingSize = 100_000,
                WrkWarmupWindowSeconds = 2, WrkWarmupMinSeconds = 12, WrkWarmupBudgetSeconds = 40, WrkSeconds = 3, WrkRounds = 1,
                FirstPageSamples = 40, DeepPageSamples = 5, TotalSamples = 20, GrowthBudget = TimeSpan.FromSeconds(8),
                EndToEndRuns = 800, HangfireSweepJobs = 400, IdleSettleSeconds = 5, WarmUpSampleSeconds = 60, WarmUpTailSeconds = 5, LowLoadRuns = 50, WarmBurstRuns = 300, MaxWarmBursts = 2, LogLines = 100_000, LogServes = 2,
                ResultsFile = Path.Combine(root, "bench", "results", "latest.json"),
            },
            _ => new BenchSettings
            {
                Mode = mode, RepoRoot = root, GrowthSizes = [10_000, 100_000, 1_000_000], CeilingSize = 100_000,
                WrkWarmupWindowSeconds = 3, WrkWarmupMinSeconds = 36, WrkWarmupBudgetSeconds = 300, WrkSeconds = 4, WrkRounds = 5,
                FirstPageSamples = 200, DeepPageSamples = 15, TotalSamples = 100, GrowthBudget = TimeSpan.FromSeconds(30),
                EndToEndRuns = 2_000, HangfireSweepJobs = 1_000, IdleSettleSeconds = 5, WarmUpSampleSeconds = 90, WarmUpTailSeconds = 10, LowLoadRuns = 200, WarmBurstRuns = 1_000, MaxWarmBursts = 6, LogLines = 100_000, LogServes = 5,
                ResultsFile = Path.Combine(root, "bench", "results", "latest.json"),
            },
        };

        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                settings = settings with { Keep = true };
            }
            else if (args[i] == "--postgres")
            {
                settings = settings with { PostgresOnly = true, WriteDocs = false, ResultsFile = Path.Combine(settings.ResultsDir, "postgres.json") };
            }
            else if (args[i] == "--schedules")
            {
                settings = settings with { SchedulesOnly = true, WriteDocs = false, ResultsFile = Path.Combine(settings.ResultsDir, "schedules.json") };
            }
            else if (args[i] == "--no-docs")
            {
                settings = settings with { WriteDocs = false };
            }
            else if (args[i] == "--out" && i + 1 < args.Length)
            {
                settings = settings with { ResultsFile = Path.GetFullPath(args[++i]) };
            }
            else if (args[i] == "--status" && i + 1 < args.Length)
            {
                settings = settings with { StatusFilter = args[++i] };
            }
            else if (args[i] == "--hangfire-poll-ms" && i + 1 < args.Length)
            {
                settings = settings with { HangfirePollMs = Ints(args[++i]) };
            }
            else if (args[i] == "--hangfire-enqueuers" && i + 1 < args.Length)
            {
                settings = settings with { HangfireEnqueuers = Ints(args[++i]) };
            }
            else if (args[i] == "--hangfire-workers" && i + 1 < args.Length)
            {
                settings = settings with { HangfireWorkers = Ints(args[++i]) };
            }
        }

        return settings;
    }

    private static int[] Ints(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrchRun.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
