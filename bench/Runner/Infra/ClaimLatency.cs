using System.Globalization;
using System.Text.Json.Nodes;

namespace OrchRunService.Bench.Infra;

/// <summary>
/// Create-to-RUNNING per run: from the run's <c>_createdat</c> in the database to the worker's
/// "Claimed run" log event in the service's log, written once the QUEUED -> RUNNING claim is committed.
/// </summary>
internal static class ClaimLatency
{
    public static List<double> CreateToRunningMs(string db, string ns, string serverLog)
    {
        var claimed = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(serverLog))
        {
            if (!line.Contains("Claimed run", StringComparison.Ordinal))
            {
                continue;
            }

            var json = JsonNode.Parse(line)!;
            if (json["RunId"]?.GetValue<string>() is { } runId && json["time"]?.GetValue<string>() is { } time)
            {
                claimed[runId] = DateTime.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            }
        }

        using var connection = Seeder.Open(db);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, CreatedAt FROM OrchRuns WHERE Namespace = $ns";
        command.Parameters.AddWithValue("$ns", ns);
        var result = new List<double>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (claimed.TryGetValue(reader.GetString(0), out var at))
            {
                result.Add((at - Parse(reader.GetString(1))).TotalMilliseconds);
            }
        }

        return result;
    }

    private static DateTime Parse(string value) =>
        DateTime.ParseExact(value, Seeder.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
