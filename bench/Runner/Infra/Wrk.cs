using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OrchRunService.Bench.Infra;

/// <summary>A wrk run's outcome: throughput, errors and latency percentiles (ms).</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Requests, long Errors, List<double[]> PercentilesMs)
{
    public double P(double percentile) => PercentilesMs.First(p => Math.Abs(p[0] - percentile) < 1e-9)[1];
}

/// <summary>
/// wrk (Debian's) pinned to the load core, one thread, a fixed number of keep-alive connections,
/// with a Lua <c>done</c> hook that prints the latency percentiles as JSON.
/// </summary>
internal static class Wrk
{
    private const string Script = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"errors\":%d,\"percentiles\":[",
            summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout))
          local ps = {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9}
          for i, p in ipairs(ps) do
            if i > 1 then io.write(",") end
            io.write(string.format("[%g,%d]", p, latency:percentile(p)))
          end
          io.write("]}\n")
        end
        """;

    public static bool Available => File.Exists("/usr/bin/wrk");

    public static async Task<WrkResult> RunAsync(Uri url, string token, int seconds, int connections, string workDir)
    {
        var script = Path.Combine(workDir, "report.lua");
        if (!File.Exists(script))
        {
            Directory.CreateDirectory(workDir);
            await File.WriteAllTextAsync(script, Script);
        }

        var info = Machine.Pinned(Machine.LoadCore, "wrk",
            ["-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "-s", script, "-H", $"Authorization: Bearer {token}", url.ToString()]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("BENCHJSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result ({process.ExitCode}): {stdout} {stderr}");
        var json = JsonNode.Parse(line["BENCHJSON ".Length..])!;
        var requests = json["requests"]!.GetValue<long>();
        var seconds_ = json["duration_us"]!.GetValue<long>() / 1e6;
        var percentiles = json["percentiles"]!.AsArray()
            .Select(p => new[] { p![0]!.GetValue<double>(), p[1]!.GetValue<double>() / 1000.0 })
            .ToList();
        return new WrkResult(requests / seconds_, requests, json["errors"]!.GetValue<long>(), percentiles);
    }

    public static string Version() => Machine.Capture("wrk", "-v").Split('\n').FirstOrDefault(l => l.StartsWith("wrk", StringComparison.Ordinal))?.Trim() ?? "wrk";

    public static string Describe(WrkResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.RequestsPerSecond:0} req/s, p50 {r.P(50):0.00} ms, p99 {r.P(99):0.00} ms, {r.Errors} errors");
}
