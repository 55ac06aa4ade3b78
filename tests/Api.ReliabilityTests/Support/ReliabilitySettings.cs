using System.Globalization;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// How much each property is exercised. CI runs the defaults (a few minutes in all); the heavy
/// script (<c>run-heavy.sh</c>) raises them through the environment.
/// </summary>
public static class ReliabilitySettings
{
    /// <summary>Cases of the schema-driven fuzzer (<c>ORCHRUN_FUZZ_CASES</c>, default 3000).</summary>
    public static int FuzzCases => Int("ORCHRUN_FUZZ_CASES", 3000);

    /// <summary>Seed of the fuzzer (<c>ORCHRUN_FUZZ_SEED</c>); a new one per run when unset, printed to replay a failure.</summary>
    public static ulong? FuzzSeed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("ORCHRUN_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : null;

    /// <summary>Parallel creates of the queued-limit property (<c>ORCHRUN_PARALLEL_CREATES</c>, default 1000).</summary>
    public static int ParallelCreates => Int("ORCHRUN_PARALLEL_CREATES", 1000);

    /// <summary>kill -9 / restart cycles (<c>ORCHRUN_KILL_CYCLES</c>, default 2 in CI).</summary>
    public static int KillCycles => Int("ORCHRUN_KILL_CYCLES", 2);

    /// <summary>Length of the soak (<c>ORCHRUN_SOAK_SECONDS</c>, default 10 in CI).</summary>
    public static int SoakSeconds => Int("ORCHRUN_SOAK_SECONDS", 10);

    /// <summary>Concurrent clients of the soak (<c>ORCHRUN_SOAK_CLIENTS</c>, default 16).</summary>
    public static int SoakClients => Int("ORCHRUN_SOAK_CLIENTS", 16);

    private static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
