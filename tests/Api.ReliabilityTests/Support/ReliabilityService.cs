using Microsoft.Data.Sqlite;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// The real service binary as these tests run it: Production, the tests' self-hosted tokens, its
/// own SQLite file, rate limiting off, 3 s leases and quick polls, its output also in a file
/// beside the database.
/// </summary>
public static class ReliabilityService
{
    /// <summary>The settings every service here gets; those given to <see cref="StartAsync"/> win.</summary>
    public static Dictionary<string, string> Settings(string databasePath)
    {
        var settings = ServiceLaunch.ProductionSettings(databasePath);
        settings["Worker__LeaseSeconds"] = "3";
        settings["Worker__PollIntervalMs"] = "200";
        settings["Worker__ShutdownGraceSeconds"] = "1";
        settings["Worker__LogFlushIntervalMs"] = "100";
        settings["DOTNET_gcServer"] = "0";
        settings["DOTNET_NOLOGO"] = "1";
        return settings;
    }

    public static string NewDatabasePath(string label) =>
        Path.Combine(Path.GetTempPath(), $"orchrun-reliability-{label}-{Guid.NewGuid():N}.db");

    /// <summary>Starts the binary on <paramref name="databasePath"/> and waits until /health/ready answers 200.</summary>
    public static Task<ServiceProcess> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? overrides = null, int? port = null)
    {
        var settings = Settings(databasePath);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return ServiceProcess.StartAsync(new ServiceLaunch
        {
            Environment = settings,
            Port = port,
            LogPath = databasePath + $".{DateTime.UtcNow:HHmmssfff}.log",
        });
    }

    /// <summary>Deletes the database files and logs of a finished test.</summary>
    public static void DeleteFiles(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(databasePath)!;
        foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(databasePath) + "*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is not worth failing a test for.
            }
        }
    }
}
