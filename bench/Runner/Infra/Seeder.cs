using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrchRunService.Bench.Infra;

/// <summary>
/// Seeds finished runs (one step each) and log lines straight into the service's SQLite file,
/// with prepared INSERTs in one transaction per call, while the service is stopped. The schema
/// is the service's own (its migrations ran at start-up). Statuses are terminal only (so the
/// worker never picks a seeded run): 80 % COMPLETED, 15 % FAILED, 5 % CANCELLED, drawn from a
/// fixed seed; runs are 2 s apart, oldest first, ending a day before the bench started.
/// </summary>
internal sealed class Seeder
{
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private const string ComponentId = "ECED6368-2C1F-4186-ACF0-3FA6E079E9A8";
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(2);

    private readonly string _dbPath;
    private readonly string _ns;
    private readonly string _orchestratorId;
    private readonly string _stepId;
    private readonly Random _random = new(20261127);
    private readonly DateTime _origin;
    private int _seeded;

    public Seeder(string dbPath, string ns, string orchestratorId, string stepId, int plannedRuns)
    {
        _dbPath = dbPath;
        _ns = ns;
        _orchestratorId = orchestratorId.ToUpperInvariant();
        _stepId = stepId.ToUpperInvariant();
        _origin = DateTime.UtcNow.AddDays(-1) - (Spacing * plannedRuns);
    }

    public int Seeded => _seeded;

    /// <summary>A run in the middle of what is seeded so far (for GET by id).</summary>
    public string? MiddleRunId { get; private set; }

    public static SqliteConnection Open(string dbPath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Adds runs until the namespace holds <paramref name="total"/>; returns the time it took.</summary>
    public TimeSpan SeedRunsTo(int total)
    {
        var watch = Stopwatch.StartNew();
        using var connection = Open(_dbPath);
        Exec(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-524288; PRAGMA journal_mode=MEMORY;");

        // A large batch goes in without the secondary indexes, which are rebuilt (sorted) after it.
        var rebuild = total - _seeded >= 50_000 ? DropSecondaryIndexes(connection) : [];
        using var tx = connection.BeginTransaction();
        using var run = connection.CreateCommand();
        run.Transaction = tx;
        run.CommandText = """
            INSERT INTO OrchRuns (Id, OrchestratorId, Name, Description, Namespace, UserType, CreatedBy, CreatedAt, UpdatedAt,
                                  Status, Result, NodeId, Attempt, LeaseExpiresAt, Version, RerunOfId)
            VALUES ($id, $orch, 'bench no-op', 'bench: one no-op test_connector step', $ns, 'bench', 'bench', $created, $updated,
                    $status, $result, NULL, 1, NULL, 4, NULL)
            """;
        var pId = run.Parameters.Add("$id", SqliteType.Text);
        run.Parameters.AddWithValue("$orch", _orchestratorId);
        run.Parameters.AddWithValue("$ns", _ns);
        var pCreated = run.Parameters.Add("$created", SqliteType.Text);
        var pUpdated = run.Parameters.Add("$updated", SqliteType.Text);
        var pStatus = run.Parameters.Add("$status", SqliteType.Integer);
        var pResult = run.Parameters.Add("$result", SqliteType.Text);
        run.Prepare();

        using var step = connection.CreateCommand();
        step.Transaction = tx;
        step.CommandText = """
            INSERT INTO OrchRunSteps (Id, RunId, OrchestratorStepId, Name, ComponentId, SequenceNo, ActualParams, RunParams,
                                      Status, StatusMessage, StartedAt, FinishedAt, Policy_Retries, Policy_RetryDelayMs, Policy_TimeoutSeconds)
            VALUES ($id, $run, $orchStep, 'test_connector', $comp, 1, '{"_fileId":"cb8d42b2"}',
                    '{"iterations":0,"intervalMs":0,"_fileId":"cb8d42b2"}', $status, $message, $started, $finished, 0, 0, NULL)
            """;
        var sId = step.Parameters.Add("$id", SqliteType.Text);
        var sRun = step.Parameters.Add("$run", SqliteType.Text);
        step.Parameters.AddWithValue("$orchStep", _stepId);
        step.Parameters.AddWithValue("$comp", ComponentId);
        var sStatus = step.Parameters.Add("$status", SqliteType.Integer);
        var sMessage = step.Parameters.Add("$message", SqliteType.Text);
        var sStarted = step.Parameters.Add("$started", SqliteType.Text);
        var sFinished = step.Parameters.Add("$finished", SqliteType.Text);
        step.Prepare();

        // Rows go in in creation order, as the service writes them (a run's rowid follows its
        // creation time, which is what the list walks); a large page cache absorbs the random
        // inserts into the GUID primary-key indexes.
        var rows = new List<(string Id, string StepId, int Index, int Draw, int Delay)>(total - _seeded);
        for (var i = _seeded; i < total; i++)
        {
            rows.Add((Guid.NewGuid().ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), i, _random.Next(100), 40 + _random.Next(200)));
        }

        MiddleRunId = rows.Count > 0 ? rows[rows.Count / 2].Id : MiddleRunId;
        foreach (var row in rows)
        {
            var created = _origin + (Spacing * row.Index);
            var (status, _, result, _) = Outcome(row.Draw);
            pId.Value = row.Id;
            pCreated.Value = created.ToString(DateFormat, CultureInfo.InvariantCulture);
            pUpdated.Value = created.AddMilliseconds(row.Delay).ToString(DateFormat, CultureInfo.InvariantCulture);
            pStatus.Value = status;
            pResult.Value = result;
            run.ExecuteNonQuery();
        }

        foreach (var row in rows)
        {
            var created = _origin + (Spacing * row.Index);
            var (_, stepStatus, _, message) = Outcome(row.Draw);
            sId.Value = row.StepId;
            sRun.Value = row.Id;
            sStatus.Value = stepStatus;
            sMessage.Value = message;
            sStarted.Value = created.AddMilliseconds(20).ToString(DateFormat, CultureInfo.InvariantCulture);
            sFinished.Value = created.AddMilliseconds(row.Delay).ToString(DateFormat, CultureInfo.InvariantCulture);
            step.ExecuteNonQuery();
        }

        tx.Commit();
        foreach (var create in rebuild)
        {
            Exec(connection, create);
        }

        _seeded = Math.Max(_seeded, total);
        Exec(connection, "PRAGMA journal_mode=WAL;");
        return watch.Elapsed;
    }

    /// <summary>
    /// One more COMPLETED run in this seeder's namespace, with a log of <paramref name="lines"/>
    /// lines like the worker's (the last one ends it); returns its id as the API shows it.
    /// </summary>
    public string SeedRunWithLog(int lines)
    {
        SeedRunsTo(_seeded + 1);
        using var connection = Open(_dbPath);
        var id = (string)new SqliteCommand($"SELECT Id FROM OrchRuns WHERE Namespace = '{_ns}' ORDER BY CreatedAt DESC LIMIT 1", connection).ExecuteScalar()!;
        Exec(connection, "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;");
        Exec(connection, $"UPDATE OrchRuns SET Status = 4, Result = '' WHERE Id = '{id}'; UPDATE OrchRunSteps SET Status = 3, StatusMessage = '' WHERE RunId = '{id}';");
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO OrchRunLogLines (RunId, Sequence, Timestamp, Level, Message, IsEnd) VALUES ($run, $seq, $ts, 2, $msg, $end)";
        insert.Parameters.AddWithValue("$run", id);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var ts = insert.Parameters.Add("$ts", SqliteType.Text);
        var msg = insert.Parameters.Add("$msg", SqliteType.Text);
        var end = insert.Parameters.Add("$end", SqliteType.Integer);
        insert.Prepare();
        var start = DateTime.UtcNow.AddHours(-2);
        for (var i = 1; i <= lines; i++)
        {
            seq.Value = i;
            ts.Value = start.AddMilliseconds(i * 7).ToString(DateFormat, CultureInfo.InvariantCulture);
            msg.Value = i switch
            {
                1 => "Orch run execution has begun",
                _ when i == lines => "Orch run has ended. Closing up file log stream",
                _ => $"TestConnector_v1: Dummy loop in progress, orch_run_id: {id.ToLowerInvariant()} (line {i})",
            };
            end.Value = i == lines ? 1 : 0;
            insert.ExecuteNonQuery();
        }

        tx.Commit();
        Exec(connection, "PRAGMA journal_mode=WAL;");
        return id.ToLowerInvariant();
    }

    private static (int Status, int StepStatus, string Result, string Message) Outcome(int draw) => draw switch
    {
        < 80 => (4, 3, string.Empty, string.Empty),
        < 95 => (5, 4, "Step 'test_connector' failed: bench failure", "bench failure"),
        _ => (6, 5, "Cancelled on request.", "Cancelled on request."),
    };

    /// <summary>Drops the non-unique indexes of the run tables; returns their CREATE statements (from the schema) to rebuild them.</summary>
    private static List<string> DropSecondaryIndexes(SqliteConnection connection)
    {
        var creates = new List<(string Name, string Sql)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('OrchRuns', 'OrchRunSteps')";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                creates.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in creates)
        {
            Exec(connection, $"DROP INDEX \"{name}\";");
        }

        return creates.Select(c => c.Sql).ToList();
    }

    public static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
