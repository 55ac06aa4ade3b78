using System.Globalization;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>A fuzz seed that once found a violation, with the case count it was found at.</summary>
public sealed record RegressionSeed(ulong Seed, int Cases, string Commit, string Found)
{
    public override string ToString() => $"{Seed} ({Cases} cases)";
}

/// <summary>
/// The committed list of seeds that found violations (<c>Fuzzing/regression-seeds.txt</c>), read
/// from the repository so adding a seed is a one-line change with no rebuild.
/// </summary>
public static class RegressionSeeds
{
    public static string FilePath => Path.Combine(RepositoryPaths.Root, "tests", "Api.ReliabilityTests", "Fuzzing", "regression-seeds.txt");

    /// <summary>One test case per seed, named after it, in the order of the file.</summary>
    public static IEnumerable<TestCaseData> Cases() =>
        Read(File.ReadAllLines(FilePath)).Select(s => new TestCaseData(s).SetArgDisplayNames($"seed {s.Seed}, {s.Cases} cases"));

    /// <summary>Lines <c>seed cases commit what-it-found</c>; blank lines and <c>#</c> comments are skipped.</summary>
    public static IReadOnlyList<RegressionSeed> Read(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var seeds = new List<RegressionSeed>();
        foreach (var (line, number) in lines.Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4
                || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cases) || cases < 1)
            {
                throw new FormatException($"regression-seeds.txt line {number}: expected '<seed> <cases> <commit> <what it found>', got '{line}'.");
            }

            seeds.Add(new RegressionSeed(seed, cases, parts[2], parts[3]));
        }

        return seeds;
    }
}
