using System.Text.Json;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// Measured figures, one JSON object per line in <c>TestResults/reliability/figures.jsonl</c>
/// (<c>ORCHRUN_FIGURES</c> overrides the file) and in the test output, so docs/reliability.md can
/// quote what a run actually measured.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static string FilePath =>
        Environment.GetEnvironmentVariable("ORCHRUN_FIGURES")
        ?? Path.Combine(RepositoryPaths.Root, "TestResults", "reliability", "figures.jsonl");

    public static void Record(string property, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entry = new Dictionary<string, object?> { ["property"] = property, ["at"] = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in values)
        {
            entry[key] = value;
        }

        var line = JsonSerializer.Serialize(entry);
        TestContext.Out.WriteLine("FIGURE " + line);
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, line + Environment.NewLine);
        }
    }
}
