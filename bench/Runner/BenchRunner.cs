using System.Diagnostics;
using System.Globalization;
using OrchRunService.Bench.Infra;
using OrchRunService.Bench.Reporting;
using OrchRunService.Bench.Scenarios;

namespace OrchRunService.Bench;

internal static class BenchRunner
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(settings.WorkDir);
        var results = new BenchResults
        {
            Mode = settings.Mode,
            StartedAt = DateTimeOffset.UtcNow,
            MachineInfo = DescribeMachine(),
            Settings = DescribeSettings(settings),
        };
        Console.WriteLine($"OrchRun bench ({settings.Mode}); server core {Machine.ServerCore}, load core {Machine.LoadCore}, pinning {(Machine.Pinning ? "on" : "off")}; load average {Machine.LoadAverage()}");

        if (!settings.PostgresOnly && !settings.SchedulesOnly)
        {
            await new GrowthAndCeiling(settings, results).RunAsync();
            await new EndToEnd(settings, results).RunAsync();
        }

        if (!settings.SchedulesOnly)
        {
            await new PostgresNodes(settings, results).RunAsync();
        }

        if (!settings.PostgresOnly)
        {
            await new ScheduleFireLag(settings, results).RunAsync();
        }

        results.MachineInfo["load average after"] = Machine.LoadAverage();
        results.DurationSeconds = Math.Round(watch.Elapsed.TotalSeconds, 1);
        results.Save(settings.ResultsFile);
        Console.WriteLine($"wrote {Path.GetRelativePath(settings.RepoRoot, settings.ResultsFile)} ({results.DurationSeconds} s)");
        if (settings.WriteDocs)
        {
            Report(settings);
        }

        if (!settings.Keep)
        {
            DeleteWorkDir(settings);
        }

        return 0;
    }

    /// <summary>Regenerates docs/benchmarks.md and its plots from the results file.</summary>
    public static int Report(BenchSettings settings)
    {
        var results = BenchResults.Load(settings.ResultsFile);
        var beforeFile = Path.Combine(settings.ResultsDir, "before.json");
        var before = File.Exists(beforeFile) ? BenchResults.Load(beforeFile) : null;
        var plots = Plots.Write(results, before, settings.PlotsDir);
        MarkdownReport.Write(results, before, plots, settings);
        Console.WriteLine($"wrote {Path.GetRelativePath(settings.RepoRoot, settings.DocsFile)} and {plots.Count} plot(s)");
        return 0;
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }

    private static void DeleteWorkDir(BenchSettings settings)
    {
        foreach (var db in Directory.GetFiles(settings.WorkDir, "*.db*"))
        {
            File.Delete(db);
        }
    }

    private static Dictionary<string, string> DescribeMachine()
    {
        var dotnetInfo = Machine.Capture("dotnet", "--info");
        string Field(string name) => dotnetInfo.Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim() ?? "?";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "?"
            : "?";
        return new Dictionary<string, string>
        {
            ["cpu"] = Machine.CpuModel(),
            ["nproc"] = Machine.Cores.ToString(CultureInfo.InvariantCulture),
            ["memory"] = $"{Machine.MemTotalMb():N0} MB",
            ["os"] = os,
            ["kernel"] = Machine.Capture("uname", "-r").Trim(),
            [".NET SDK"] = Field("Version:"),
            [".NET runtime"] = Environment.Version.ToString(),
            ["wrk"] = Wrk.Available ? Wrk.Version() : "not installed",
            ["sqlite (service)"] = SqliteVersion(),
            ["pinning"] = Machine.Pinning ? $"server and Hangfire peer on core {Machine.ServerCore}; wrk and the bench's clients on core {Machine.LoadCore}" : "none (fewer than 2 cores)",
            ["load average before"] = Machine.LoadAverage(),
        };
    }

    /// <summary>The SQLite library of the service and the synchronous setting its connections get on a WAL file.</summary>
    private static string SqliteVersion()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orchrun-bench-{Environment.ProcessId}.db");
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA synchronous;";
            var synchronous = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            return $"{connection.ServerVersion}, WAL, synchronous={synchronous} ({(synchronous == 2 ? "FULL" : synchronous == 1 ? "NORMAL" : "other")})";
        }
        finally
        {
            DeleteDatabase(file);
        }
    }

    private static Dictionary<string, string> DescribeSettings(BenchSettings s) => new()
    {
        ["growth sizes"] = string.Join(", ", s.GrowthSizes.Select(GrowthAndCeiling.Label)),
        ["ceiling and logs at"] = GrowthAndCeiling.Label(s.CeilingSize) + " runs",
        ["status filter"] = s.StatusFilter,
        ["wrk"] = $"{s.WrkRounds} round(s) x {s.WrkSeconds} s per endpoint after a warm-up ({s.WrkWarmupWindowSeconds} s per endpoint in turn until a turn passes with the JIT's tiered compilation idle (under 1 % of the core) and every endpoint within 10 % of its previous turn; at least {s.WrkWarmupMinSeconds} s, at most {s.WrkWarmupBudgetSeconds} s), 1 thread, {s.WrkConnections} connections",
        ["growth samples"] = $"first page {s.FirstPageSamples}, deep page {s.DeepPageSamples}, _total {s.TotalSamples} (at most {s.GrowthBudget.TotalSeconds} s each)",
        ["end to end"] = $"{s.EndToEndRuns:N0} runs from {s.EndToEndClients} clients; low load {s.LowLoadRuns} runs {s.LowLoadGapMs} ms apart; warm-up bursts of {s.WarmBurstRuns:N0} (at least {Infra.TieredCompilation.MinWarmBursts(s.MaxWarmBursts)}, at most {s.MaxWarmBursts}) on both sides until one passes with the JIT idle",
        ["log"] = $"{s.LogLines:N0} lines, served {s.LogServes} time(s)",
        ["hangfire"] = $"sweep of {s.HangfireEnqueuers.Length * s.HangfirePollMs.Length * s.HangfireWorkers.Length} configurations: {string.Join(" or ", s.HangfireEnqueuers)} enqueuer(s) x QueuePollInterval {string.Join(", ", s.HangfirePollMs)} ms x {string.Join(" or ", s.HangfireWorkers)} workers, in one process warmed once by the same JIT-idle rule, each configuration on its own fresh SQLite file and SQLiteStorage with a priming burst of 50 jobs, then one measured burst of {s.HangfireSweepJobs:N0} jobs (fewer than the service's {s.EndToEndRuns:N0}, to keep the run's length); the best configuration (jobs/s) then alone in a fresh process exactly as the service: warm-up, low load, the {s.EndToEndRuns:N0}-job burst, idle RSS after it. Denominators: the higher jobs/s of that configuration's two bursts, the highest enqueues/s of all",
        ["idle after load"] = $"{s.IdleSettleSeconds} s after the measured end-to-end burst finished, median of 10 RSS samples 100 ms apart, on both sides",
        ["start-up"] = $"a fresh service process on the ceiling database; 1-s wrk slices ({s.WrkConnections} connections) of the ceiling's list URL from the moment it answers, until {s.WarmUpTailSeconds} s after the first slice at >= 90 % of the ceiling's steady list throughput, at most {s.WarmUpSampleSeconds} s after the process start",
    };
}
