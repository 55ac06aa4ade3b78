using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Reads the SQLite file the processes share, to check what HTTP does not show (node ids,
/// attempts, raw log rows). EF stores Guids there as upper-case TEXT.
/// </summary>
internal sealed class RunDatabase
{
    private readonly string _connectionString;

    public RunDatabase(string file)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    public static string Key(Guid id) => id.ToString().ToUpperInvariant();

    public static string Key(string id) => Key(Guid.Parse(id));

    public async Task<List<RunRow>> RunsAsync(string ns) =>
        await QueryAsync(
            "SELECT Id, Status, NodeId, Attempt, CreatedAt FROM OrchRuns WHERE Namespace = $ns ORDER BY CreatedAt, Id",
            r => new RunRow(Guid.Parse(r.GetString(0)), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), Time(r.GetString(4))),
            ("$ns", ns));

    public async Task<RunRow?> RunAsync(string id) =>
        (await QueryAsync(
            "SELECT Id, Status, NodeId, Attempt, CreatedAt FROM OrchRuns WHERE Id = $id",
            r => new RunRow(Guid.Parse(r.GetString(0)), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), Time(r.GetString(4))),
            ("$id", Key(id)))).SingleOrDefault();

    /// <summary>Log rows of the namespace's runs (or of one run), by run and sequence.</summary>
    public async Task<List<LogRow>> LinesAsync(string? ns = null, string? runId = null) =>
        await QueryAsync(
            """
            SELECT l.RunId, l.Sequence, l.Timestamp, l.Level, l.Message, l.IsEnd
            FROM OrchRunLogLines l
            WHERE ($run IS NULL OR l.RunId = $run)
              AND ($ns IS NULL OR l.RunId IN (SELECT Id FROM OrchRuns WHERE Namespace = $ns))
            ORDER BY l.RunId, l.Sequence
            """,
            r => new LogRow(Guid.Parse(r.GetString(0)), r.GetInt64(1), Time(r.GetString(2)), r.GetInt32(3), r.GetString(4), r.GetBoolean(5)),
            ("$run", runId is null ? DBNull.Value : Key(runId)),
            ("$ns", ns is null ? DBNull.Value : ns));

    /// <summary>Rows of the run's steps: sequence number and status code (1 QUEUED, 2 RUNNING, 3 COMPLETED ...).</summary>
    public async Task<List<(int SequenceNo, int Status)>> StepsAsync(string runId) =>
        await QueryAsync(
            "SELECT SequenceNo, Status FROM OrchRunSteps WHERE RunId = $run ORDER BY SequenceNo",
            r => (r.GetInt32(0), r.GetInt32(1)),
            ("$run", Key(runId)));

    /// <summary>The namespace's schedules: id and creation time.</summary>
    public async Task<List<(Guid Id, DateTime CreatedAt)>> SchedulesAsync(string ns) =>
        await QueryAsync(
            "SELECT Id, CreatedAt FROM Schedules WHERE Namespace = $ns",
            r => (Guid.Parse(r.GetString(0)), Time(r.GetString(1))),
            ("$ns", ns));

    /// <summary>Slot records of the namespace's schedules; Outcome 0..4 = fired, skipped-overlap, refused-queue-limit, missed, failed.</summary>
    public async Task<List<FireRow>> FiresAsync(string ns) =>
        await QueryAsync(
            "SELECT f.ScheduleId, f.Slot, f.Outcome, f.RunId, f.RecordedAt FROM ScheduleFires f JOIN Schedules s ON s.Id = f.ScheduleId WHERE s.Namespace = $ns",
            r => new FireRow(Guid.Parse(r.GetString(0)), Time(r.GetString(1)), r.GetInt32(2), r.IsDBNull(3) ? null : Guid.Parse(r.GetString(3)), Time(r.GetString(4))),
            ("$ns", ns));

    /// <summary>Runs of the namespace that a schedule created.</summary>
    public async Task<List<(Guid Id, Guid ScheduleId, DateTime ScheduledFor, DateTime CreatedAt)>> ScheduledRunsAsync(string ns) =>
        await QueryAsync(
            "SELECT Id, ScheduleId, ScheduledFor, CreatedAt FROM OrchRuns WHERE Namespace = $ns AND ScheduleId IS NOT NULL",
            r => (Guid.Parse(r.GetString(0)), Guid.Parse(r.GetString(1)), Time(r.GetString(2)), Time(r.GetString(3))),
            ("$ns", ns));

    /// <summary>The node holding the named service lease, if any row exists.</summary>
    public async Task<string?> LeaseHolderAsync(string name) =>
        (await QueryAsync("SELECT Holder FROM ServiceLeases WHERE Name = $name", r => r.GetString(0), ("$name", name))).SingleOrDefault();

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        (await QueryAsync(sql, r => r.GetInt64(0), parameters)).Single();

    private static DateTime Time(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

/// <summary>A run row; Status 1..6 = QUEUED, RUNNING, REQUEST_CANCEL, COMPLETED, FAILED, CANCELLED.</summary>
internal sealed record RunRow(Guid Id, int Status, string? NodeId, int Attempt, DateTime CreatedAt);

/// <summary>A schedule's slot record.</summary>
internal sealed record FireRow(Guid ScheduleId, DateTime Slot, int Outcome, Guid? RunId, DateTime RecordedAt);

/// <summary>A log row; Level 1..4 = debug, info, warn, error.</summary>
internal sealed record LogRow(Guid RunId, long Sequence, DateTime Timestamp, int Level, string Message, bool IsEnd);
