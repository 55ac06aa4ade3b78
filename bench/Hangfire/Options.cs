using System.Globalization;

namespace OrchRunService.Bench.Hangfire;

/// <summary>The peer's command line (see <see cref="HangfirePeer"/>); every option has a default.</summary>
internal sealed record Options(
    string Verb,
    string Db,
    string Dir,
    int Jobs,
    int Clients,
    int Workers,
    int PollMs,
    int[] EnqueuerCounts,
    int[] PollIntervals,
    int[] WorkerCounts,
    int LowLoad,
    int GapMs,
    int WarmJobs,
    int WarmBursts,
    int SettleMs,
    string Out)
{
    public static Options Parse(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "single";
        if (verb is not ("single" or "sweep"))
        {
            throw new ArgumentException($"unknown verb '{verb}': single (the default) or sweep");
        }

        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        int[] Ints(string name, string fallback) =>
            Get(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        var sweep = verb == "sweep";
        return new Options(
            verb,
            Path.GetFullPath(Get("--db", "hangfire-bench.db")),
            Path.GetFullPath(Get("--dir", "hangfire-sweep")),
            Int("--jobs", sweep ? 1000 : 2000),
            Int("--clients", 8),
            sweep ? 0 : Int("--workers", 8),
            sweep ? 0 : Int("--poll-ms", 50),
            Ints("--enqueuers", "1,8"),
            sweep ? Ints("--poll-ms", "50,100,1000") : [],
            sweep ? Ints("--workers", "8,10") : [],
            Int("--lowload", 200),
            Int("--gap-ms", 20),
            Int("--warm-jobs", 20),
            Int("--warm-bursts", 1),
            Int("--settle-ms", 5000),
            Path.GetFullPath(Get("--out", sweep ? "hangfire-sweep.json" : "hangfire-result.json")));
    }
}
