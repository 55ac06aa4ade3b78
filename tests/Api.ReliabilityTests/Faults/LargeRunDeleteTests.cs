using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Faults;

/// <summary>
/// DELETE of a finished run with a million log lines while other namespaces create runs: the log goes in
/// batches of short transactions, so the creates keep their turns at the database's write lock
/// and answer within 1 s, never 503. (One cascading delete held the lock for the whole log.)
/// </summary>
[Category("Faults")]
public sealed class LargeRunDeleteTests
{
    private const int LogLines = 1_000_000;
    private static readonly TimeSpan CreateBound = TimeSpan.FromSeconds(1);

    private OrchRunApiFactory _factory = null!;

    [OneTimeSetUp]
    public void Start() => _factory = new OrchRunApiFactory(new Dictionary<string, string?> { ["Runs:MaxQueuedPerNamespace"] = "100000" });

    [OneTimeTearDown]
    public async Task Stop() => await _factory.DisposeAsync();

    [Test]
    public async Task Delete_WhenTheRunHasAMillionLogLines_OtherNamespacesCreatesAnswerWithinOneSecondWithout503()
    {
        using var owner = _factory.CreateApiClient();
        var (_, run) = await owner.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(run);
        await AddLogLinesAsync(runId, LogLines);
        await FinishAsync(runId);
        using var first = _factory.CreateApiClient();
        using var second = _factory.CreateApiClient();
        var orchestrators = new[]
        {
            (Api: first, Id: OrchRunApiClient.IdOf(await first.CreateOrchestratorAsync())),
            (Api: second, Id: OrchRunApiClient.IdOf(await second.CreateOrchestratorAsync())),
        };

        var clock = Stopwatch.StartNew();
        var delete = owner.DeleteRunAsync(runId);
        var creates = await Task.WhenAll(orchestrators.Select(o => CreateUntilAsync(o.Api, o.Id, delete)));
        using var deleted = await delete;
        var deleteTime = clock.Elapsed;

        var all = creates.SelectMany(c => c).ToList();
        var slowest = all.Max(c => c.Elapsed);
        TestContext.Out.WriteLine($"delete of {LogLines} lines took {deleteTime.TotalSeconds:F1} s; {all.Count} creates meanwhile, slowest {slowest.TotalMilliseconds:F0} ms; "
            + $"slowest five at {string.Join(", ", all.Select((c, i) => (c.Elapsed, i)).OrderByDescending(c => c.Elapsed).Take(5).Select(c => $"#{c.i} {c.Elapsed.TotalMilliseconds:F0} ms"))}");
        using var gone = await owner.GetRunAsync(runId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await CountLogLinesAsync(runId), Is.Zero);
            Assert.That(all, Has.Count.GreaterThanOrEqualTo(2), "creates ran while the delete did");
            Assert.That(all.Select(c => c.Status), Is.All.EqualTo(HttpStatusCode.OK), "no 503 (nor anything else)");
            Assert.That(slowest, Is.LessThan(CreateBound));
        }
    }

    /// <summary>Creates one run after another in the client's namespace until <paramref name="until"/> ends (at most 2000).</summary>
    private static async Task<List<(HttpStatusCode Status, TimeSpan Elapsed)>> CreateUntilAsync(OrchRunApiClient api, string orchestratorId, Task until)
    {
        var results = new List<(HttpStatusCode, TimeSpan)>();
        do
        {
            var watch = Stopwatch.StartNew();
            using var response = await api.PostRunAsync(orchestratorId);
            results.Add((response.StatusCode, watch.Elapsed));
        }
        while (!until.IsCompleted && results.Count < 2000);

        return results;
    }

    private async Task AddLogLinesAsync(string runId, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
            INSERT INTO OrchRunLogLines (RunId, Sequence, Timestamp, Level, Message, IsEnd)
            SELECT (SELECT Id FROM OrchRuns WHERE lower(Id) = lower($run)), i, '2026-12-04 22:00:00+00:00', 1, 'TestConnector_v1: Dummy loop in progress, line ' || i, 0 FROM n
            """;
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$run", runId);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Marks the run COMPLETED, as a finished run with a long log is (the worker is off here).</summary>
    private async Task FinishAsync(string runId)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE OrchRuns SET Status = $completed WHERE lower(Id) = lower($run)";
        command.Parameters.AddWithValue("$completed", (int)OrchRunService.Domain.OrchRuns.OrchRunStatus.Completed);
        command.Parameters.AddWithValue("$run", runId);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }

    private async Task<long> CountLogLinesAsync(string runId)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrchRunLogLines WHERE lower(RunId) = lower($run)";
        command.Parameters.AddWithValue("$run", runId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
