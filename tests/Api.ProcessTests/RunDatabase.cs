using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Reads the database the processes share (a SQLite file or a PostgreSQL database), to check
/// what HTTP does not show (node ids, attempts, raw log rows). EF stores Guids in SQLite as
/// upper-case TEXT and times as text; PostgreSQL has uuid and timestamptz.
/// </summary>
internal sealed class RunDatabase
{
    private readonly DatabaseProvider _provider;
    private readonly string _connectionString;

    public RunDatabase(DatabaseProvider provider, string connectionString)
    {
        _provider = provider;
        _connectionString = connectionString;
    }

    /// <summary>The SQLite file's database, without pooling so that the file can be deleted.</summary>
    public static RunDatabase Sqlite(string file) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString());

    public async Task<List<RunRow>> RunsAsync(string ns) =>
        await QueryAsync(
            "SELECT \"Id\", \"Status\", \"NodeId\", \"Attempt\", \"CreatedAt\" FROM \"OrchRuns\" WHERE \"Namespace\" = @ns ORDER BY \"CreatedAt\", \"Id\"",
            r => new RunRow(Id(r, 0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), Time(r, 4)),
            ("@ns", ns));

    public async Task<RunRow?> RunAsync(string id) =>
        (await QueryAsync(
            "SELECT \"Id\", \"Status\", \"NodeId\", \"Attempt\", \"CreatedAt\" FROM \"OrchRuns\" WHERE \"Id\" = @id",
            r => new RunRow(Id(r, 0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3), Time(r, 4)),
            ("@id", Key(id)))).SingleOrDefault();

    /// <summary>Log rows of the namespace's runs (or of one run), by run and sequence.</summary>
    public async Task<List<LogRow>> LinesAsync(string? ns = null, string? runId = null)
    {
        var parameters = new List<(string Name, object Value)>();
        var sql = """
            SELECT l."RunId", l."Sequence", l."Timestamp", l."Level", l."Message", l."IsEnd"
            FROM "OrchRunLogLines" l WHERE 1 = 1
            """;
        if (runId is not null)
        {
            sql += " AND l.\"RunId\" = @run";
            parameters.Add(("@run", Key(runId)));
        }

        if (ns is not null)
        {
            sql += " AND l.\"RunId\" IN (SELECT \"Id\" FROM \"OrchRuns\" WHERE \"Namespace\" = @ns)";
            parameters.Add(("@ns", ns));
        }

        return await QueryAsync(
            sql + " ORDER BY l.\"RunId\", l.\"Sequence\"",
            r => new LogRow(Id(r, 0), r.GetInt64(1), Time(r, 2), r.GetInt32(3), r.GetString(4), r.GetBoolean(5)),
            [.. parameters]);
    }

    /// <summary>Rows of the run's steps: sequence number and status code (1 QUEUED, 2 RUNNING, 3 COMPLETED ...).</summary>
    public async Task<List<(int SequenceNo, int Status)>> StepsAsync(string runId) =>
        await QueryAsync(
            "SELECT \"SequenceNo\", \"Status\" FROM \"OrchRunSteps\" WHERE \"RunId\" = @run ORDER BY \"SequenceNo\"",
            r => (r.GetInt32(0), r.GetInt32(1)),
            ("@run", Key(runId)));

    /// <summary>The namespace's runs that ended (COMPLETED, FAILED or CANCELLED).</summary>
    public async Task<long> CountFinishedAsync(string ns) =>
        (await QueryAsync(
            "SELECT COUNT(*) FROM \"OrchRuns\" WHERE \"Namespace\" = @ns AND \"Status\" IN (4, 5, 6)",
            r => r.GetInt64(0),
            ("@ns", ns))).Single();
    /// <summary>The namespace's schedules: id and creation time.</summary>
    public async Task<List<(Guid Id, DateTime CreatedAt)>> SchedulesAsync(string ns) =>
        await QueryAsync(
            "SELECT \"Id\", \"CreatedAt\" FROM \"Schedules\" WHERE \"Namespace\" = @ns",
            r => (Id(r, 0), Time(r, 1)),
            ("@ns", ns));

    /// <summary>Slot records of the namespace's schedules; Outcome 0..4 = fired, skipped-overlap, refused-queue-limit, missed, failed.</summary>
    public async Task<List<FireRow>> FiresAsync(string ns) =>
        await QueryAsync(
            "SELECT f.\"ScheduleId\", f.\"Slot\", f.\"Outcome\", f.\"RunId\", f.\"RecordedAt\" FROM \"ScheduleFires\" f JOIN \"Schedules\" s ON s.\"Id\" = f.\"ScheduleId\" WHERE s.\"Namespace\" = @ns",
            r => new FireRow(Id(r, 0), Time(r, 1), r.GetInt32(2), r.IsDBNull(3) ? null : Id(r, 3), Time(r, 4)),
            ("@ns", ns));

    /// <summary>Runs of the namespace that a schedule created.</summary>
    public async Task<List<(Guid Id, Guid ScheduleId, DateTime ScheduledFor, DateTime CreatedAt)>> ScheduledRunsAsync(string ns) =>
        await QueryAsync(
            "SELECT \"Id\", \"ScheduleId\", \"ScheduledFor\", \"CreatedAt\" FROM \"OrchRuns\" WHERE \"Namespace\" = @ns AND \"ScheduleId\" IS NOT NULL",
            r => (Id(r, 0), Id(r, 1), Time(r, 2), Time(r, 3)),
            ("@ns", ns));

    /// <summary>The node holding the named service lease, if any row exists.</summary>
    public async Task<string?> LeaseHolderAsync(string name) =>
        (await QueryAsync("SELECT \"Holder\" FROM \"ServiceLeases\" WHERE \"Name\" = @name", r => r.GetString(0), ("@name", name))).SingleOrDefault();

    /// <summary>The migrations recorded as applied, one row each.</summary>
    public async Task<List<string>> AppliedMigrationsAsync() =>
        await QueryAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\"", r => r.GetString(0));

    private object Key(string id) =>
        _provider == DatabaseProvider.Sqlite ? Guid.Parse(id).ToString().ToUpperInvariant() : Guid.Parse(id);

    private static Guid Id(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is Guid id ? id : Guid.Parse(reader.GetString(ordinal));

    private static DateTime Time(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is DateTime time
            ? time.ToUniversalTime()
            : DateTime.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private DbConnection Connect() =>
        _provider == DatabaseProvider.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
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
