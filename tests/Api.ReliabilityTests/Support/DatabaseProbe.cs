using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// Reads the service's database over a connection of its own, as an outside observer: a cheap
/// fingerprint of everything the API can change (SQLite), integrity and orphan checks, and run
/// states (SQLite or PostgreSQL).
/// </summary>
public sealed class DatabaseProbe : IDisposable
{
    /// <summary>
    /// Row counts plus what any change moves: the sum of run versions (every run change bumps one),
    /// the latest UpdatedAt, status and attempt sums, the last log line, the newest idempotency key,
    /// the newest secret and the last replaced one.
    /// </summary>
    private const string FingerprintSql = """
        SELECT
          (SELECT count(*) || '/' || total(Version) || '/' || ifnull(max(UpdatedAt), '-') || '/' || total(Status) || '/' || total(Attempt) FROM OrchRuns),
          (SELECT count(*) || '/' || total(Status) FROM OrchRunSteps),
          (SELECT count(*) || '/' || ifnull(max(UpdatedAt), '-') FROM Orchestrators),
          (SELECT count(*) FROM OrchestratorSteps),
          (SELECT count(*) || '/' || ifnull(max(Sequence), 0) FROM OrchRunLogLines),
          (SELECT count(*) || '/' || ifnull(max(CreatedAt), '-') FROM IdempotencyKeys),
          (SELECT count(*) || '/' || ifnull(max(CreatedAt), '-') || '/' || ifnull(max(UpdatedAt), '-') FROM Secrets),
          (SELECT count(*) || '/' || total(Revision) || '/' || ifnull(max(UpdatedAt), '-') FROM Schedules),
          (SELECT count(*) FROM ScheduleFires)
        """;

    private readonly DbConnection _connection;

    public DatabaseProbe(string databasePath)
        : this(new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString()))
    {
    }

    private DatabaseProbe(DbConnection connection)
    {
        _connection = connection;
        _connection.Open();
    }

    /// <summary>A probe of a PostgreSQL database (the orphan checks and run states; the fingerprint is SQLite's).</summary>
    public static DatabaseProbe ForPostgres(string connectionString) => new(new NpgsqlConnection(connectionString));

    public string Fingerprint()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = FingerprintSql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString()));
    }

    /// <summary>"ok" when SQLite finds the file intact; always "ok" on PostgreSQL, which has no such statement.</summary>
    public string IntegrityCheck() => _connection is NpgsqlConnection ? "ok" : Scalar("PRAGMA integrity_check;")?.ToString() ?? "(nothing)";

    /// <summary>Steps and log lines whose run is gone: a half-deleted run leaves some.</summary>
    public long OrphanRows() =>
        Convert.ToInt64(Scalar("""
            SELECT (SELECT count(*) FROM "OrchRunSteps" s WHERE NOT EXISTS (SELECT 1 FROM "OrchRuns" r WHERE r."Id" = s."RunId"))
                 + (SELECT count(*) FROM "OrchRunLogLines" l WHERE NOT EXISTS (SELECT 1 FROM "OrchRuns" r WHERE r."Id" = l."RunId"))
            """), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs whose step rows are not all there (a run is created with at least one step).</summary>
    public long RunsWithoutSteps() =>
        Convert.ToInt64(Scalar("""SELECT count(*) FROM "OrchRuns" r WHERE NOT EXISTS (SELECT 1 FROM "OrchRunSteps" s WHERE s."RunId" = r."Id")"""), System.Globalization.CultureInfo.InvariantCulture);

    public long Count(string sql) => Convert.ToInt64(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every run id with its status code, from the table itself.</summary>
    public Dictionary<Guid, int> RunStatuses()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """SELECT "Id", "Status" FROM "OrchRuns" """;
        using var reader = command.ExecuteReader();
        var result = new Dictionary<Guid, int>();
        while (reader.Read())
        {
            result[reader.GetGuid(0)] = reader.GetInt32(1);
        }

        return result;
    }

    public List<T> Column<T>(string sql, Func<DbDataReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            result.Add(read(reader));
        }

        return result;
    }

    public int Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
