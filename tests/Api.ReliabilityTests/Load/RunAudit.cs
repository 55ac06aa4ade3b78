using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Load;

/// <summary>What an audit after load or crashes found; <see cref="Failures"/> is empty when nothing was lost or broken.</summary>
public sealed class AuditResult
{
    public List<string> Failures { get; } = [];

    public int Acknowledged { get; set; }

    public int Lost { get; set; }

    public int Resurrected { get; set; }

    public int StoredWithoutAcknowledgement { get; set; }

    public int LogsChecked { get; set; }

    public int LogPrefixesChecked { get; set; }

    public Dictionary<string, int> FinalStatuses { get; } = new(StringComparer.Ordinal);

    public int Resumed { get; set; }
}

/// <summary>Checks the database and the API against what a <see cref="LoadDriver"/> saw acknowledged.</summary>
public static class RunAudit
{
    private static readonly string[] StatusNames = ["?", "QUEUED", "RUNNING", "REQUEST_CANCEL", "COMPLETED", "FAILED", "CANCELLED"];

    /// <summary>
    /// Every acknowledged run is stored (unless its delete was acknowledged, or sent and not
    /// answered), no acknowledged delete came back, every run is final with a whole log (lines
    /// 1..N, exactly one end line, the last), every log seen during the load is a prefix of the
    /// log now, and the file is intact.
    /// </summary>
    public static async Task<AuditResult> AuditAsync(LoadDriver driver, DatabaseProbe probe, HttpClient http, bool expectAllTerminal)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(http);
        var result = new AuditResult { Acknowledged = driver.Acknowledged.Count };
        var stored = probe.RunStatuses().ToDictionary(p => p.Key.ToString("D"), p => p.Value, StringComparer.OrdinalIgnoreCase);

        foreach (var (id, _) in driver.Acknowledged)
        {
            var deleted = driver.Deleted.ContainsKey(id);
            var maybeDeleted = driver.DeleteUnanswered.ContainsKey(id);
            if (!deleted && !maybeDeleted && !stored.ContainsKey(id))
            {
                result.Lost++;
                result.Failures.Add($"run {id} was acknowledged (200) and is gone");
            }

            if (deleted && stored.ContainsKey(id))
            {
                result.Resurrected++;
                result.Failures.Add($"run {id} was deleted (204) and is back");
            }
        }

        result.StoredWithoutAcknowledgement = stored.Keys.Count(id => !driver.Acknowledged.ContainsKey(id));
        foreach (var group in stored.GroupBy(p => StatusNames[p.Value]))
        {
            result.FinalStatuses[group.Key] = group.Count();
        }

        result.Resumed = (int)probe.Count("""SELECT count(*) FROM "OrchRuns" WHERE "Attempt" > 1""");

        // Logs: contiguous from line 1, exactly one end line and it is the last, for every final run.
        var logs = probe.Column(
            """
            SELECT r."Id", r."Status", count(l."Sequence"), COALESCE(min(l."Sequence"), 0), COALESCE(max(l."Sequence"), 0),
                   COALESCE(sum(CASE WHEN l."IsEnd" THEN 1 ELSE 0 END), 0),
                   COALESCE((SELECT CASE WHEN e."IsEnd" THEN 1 ELSE 0 END FROM "OrchRunLogLines" e WHERE e."RunId" = r."Id" ORDER BY e."Sequence" DESC LIMIT 1), 0)
            FROM "OrchRuns" r LEFT JOIN "OrchRunLogLines" l ON l."RunId" = r."Id"
            GROUP BY r."Id", r."Status"
            """,
            r => (Id: r.GetGuid(0).ToString("D"), Status: r.GetInt32(1), Count: Long(r, 2), Min: Long(r, 3), Max: Long(r, 4), Ends: Long(r, 5), LastIsEnd: Long(r, 6)));
        foreach (var log in logs)
        {
            result.LogsChecked++;
            if (log.Count > 0 && (log.Min != 1 || log.Max != log.Count))
            {
                result.Failures.Add($"run {log.Id}: log lines are not 1..N (count {log.Count}, {log.Min}..{log.Max})");
            }

            var final = log.Status is 4 or 5 or 6;
            if (final && (log.Ends != 1 || log.LastIsEnd != 1))
            {
                result.Failures.Add($"run {log.Id} is {StatusNames[log.Status]} but its log has {log.Ends} end lines (last is end: {log.LastIsEnd == 1})");
            }

            if (!final && expectAllTerminal)
            {
                result.Failures.Add($"run {log.Id} is still {StatusNames[log.Status]}");
            }
        }

        // What readers saw before is still there, unchanged, at the start of each log.
        foreach (var (id, seen) in driver.LogSnapshots)
        {
            if (!stored.ContainsKey(id) || driver.Acknowledged.TryGetValue(id, out var ns) is false)
            {
                continue;
            }

            using var response = await http.GetAsync(new Uri($"{OrchRunApiClient.RunsPath}/logs/{id}?nsfilter={ns}", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                result.Failures.Add($"run {id}: log read answered {(int)response.StatusCode}");
                continue;
            }

            var now = LoadDriver.SplitLog(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.GetValue<string>());
            result.LogPrefixesChecked++;
            if (now.Length < seen.Length || !now.Take(seen.Length).SequenceEqual(seen, StringComparer.Ordinal))
            {
                result.Failures.Add($"run {id}: the log read earlier ({seen.Length} lines) is not the start of its log now ({now.Length} lines)");
            }
        }

        var integrity = probe.IntegrityCheck();
        if (integrity != "ok")
        {
            result.Failures.Add("integrity_check: " + integrity);
        }

        var orphans = probe.OrphanRows();
        if (orphans != 0)
        {
            result.Failures.Add($"{orphans} steps or log lines without their run");
        }

        return result;
    }

    // SQLite answers every integer as a long; PostgreSQL as the column's own width.
    private static long Long(System.Data.Common.DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
