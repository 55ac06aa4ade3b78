using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.ReliabilityTests.Fuzzing;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Concurrency;

/// <summary>
/// Cancels, deletes, reads, log reads and lists of the same runs, all at once, with the worker
/// executing them meanwhile: never a 5xx, only the answers each operation documents, exactly
/// one delete wins, and afterwards every run is either whole or entirely gone; on SQLite and PostgreSQL.
/// </summary>
[Category("Concurrency")]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class SameRunRaceTests
{
    private const int Runs = 30;

    private readonly DatabaseProvider _provider;
    private OrchRunApiFactory _factory = null!;
    private PostgresTestDatabase? _postgres;
    private DatabaseProbe _probe = null!;
    private IReadOnlyList<ApiOperation> _operations = [];

    public SameRunRaceTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Worker:Enabled"] = "true",
            ["Worker:PollIntervalMs"] = "50",
            ["Worker:LeaseSeconds"] = "2",
            ["Worker:LogFlushIntervalMs"] = "20",
            ["Runs:MaxQueuedPerNamespace"] = "1000",
        };
        if (_provider == DatabaseProvider.Postgres)
        {
            _postgres = await PostgresDatabase.CreateAsync();
            settings["Database:Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings:OrchRun"] = _postgres.ConnectionString;
        }

        _factory = new OrchRunApiFactory(settings);
        using (var anonymous = _factory.CreateClient())
        {
            _operations = await ApiDescription.LoadAsync(anonymous);
        }

        _probe = _postgres is null ? new DatabaseProbe(_factory.DatabasePath) : DatabaseProbe.ForPostgres(_postgres.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _probe.Dispose();
        await _factory.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Test]
    public async Task ParallelCancelDeleteAndReadsOfTheSameRuns_NeverFailAndLeaveNoHalfDeletedRun()
    {
        // Runs of about a second, eight at a time: at the burst some are queued, some running, some done.
        using var api = _factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync(stepCount: 2, stepParams: new JsonObject { ["iterations"] = 10, ["intervalMs"] = 50 }));
        var runs = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            runs.Add(OrchRunApiClient.IdOf(await api.CreateRunAsync(orchestrator)));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = new List<Task<(string Run, string Operation, HttpStatusCode Status, string? MediaType, string Body)>>();
        foreach (var run in runs)
        {
            for (var k = 0; k < 5; k++)
            {
                calls.Add(CallAsync(start.Task, run, "OrchRuns_Cancel", () => api.CancelRunAsync(run, run)));
                calls.Add(CallAsync(start.Task, run, "OrchRuns_Get", () => api.GetRunAsync(run)));
                calls.Add(CallAsync(start.Task, run, "OrchRuns_GetLogs", () => api.GetLogsAsync(run)));
            }

            for (var k = 0; k < 3; k++)
            {
                calls.Add(CallAsync(start.Task, run, "OrchRuns_Delete", () => api.DeleteRunAsync(run)));
            }

            calls.Add(CallAsync(start.Task, run, "OrchRuns_List", () => api.ListRunsAsync("_pageSize=100")));
            calls.Add(CallAsync(start.Task, run, "OrchRuns_Rerun", () => api.Http.PostAsync(api.Url($"{OrchRunApiClient.RunsPath}/{run}/rerun"), null)));
        }

        start.SetResult();
        var answers = await Task.WhenAll(calls);

        var allowed = new Dictionary<string, HttpStatusCode[]>
        {
            ["OrchRuns_Cancel"] = [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Conflict],
            ["OrchRuns_Get"] = [HttpStatusCode.OK, HttpStatusCode.NotFound],
            ["OrchRuns_GetLogs"] = [HttpStatusCode.OK, HttpStatusCode.NotFound],
            ["OrchRuns_Delete"] = [HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.Conflict],
            ["OrchRuns_List"] = [HttpStatusCode.OK],
            ["OrchRuns_Rerun"] = [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Conflict],
        };
        var failures = new List<string>();
        foreach (var answer in answers)
        {
            if (!allowed[answer.Operation].Contains(answer.Status))
            {
                failures.Add($"{answer.Operation} {answer.Run}: {(int)answer.Status} {answer.Body}");
            }

            var operation = _operations.Single(o => o.OperationId == answer.Operation);
            failures.AddRange(ResponseChecks.Check(operation, answer.Status, answer.MediaType, answer.Body).Select(v => $"{answer.Operation} {answer.Run}: {v}"));
            if (answer.Operation == "OrchRuns_Get" && answer.Status == HttpStatusCode.OK
                && JsonNode.Parse(answer.Body)![0]!["orchrunsteps"]!.AsArray().Count != 2)
            {
                failures.Add($"a read saw run {answer.Run} without all its steps: {answer.Body}");
            }
        }

        // Deletes that lost a race (409) are retried, as a client would; each run ends entirely gone.
        foreach (var run in runs)
        {
            var wins = answers.Count(a => a.Run == run && a.Operation == "OrchRuns_Delete" && a.Status == HttpStatusCode.NoContent);
            if (wins == 0)
            {
                using var retry = await api.DeleteRunAsync(run);
                wins += retry.StatusCode == HttpStatusCode.NoContent ? 1 : 0;
            }

            if (wins != 1)
            {
                failures.Add($"run {run}: {wins} deletes succeeded");
            }

            var rows = await _factory.CountRunRowsAsync(run) + await _factory.CountStepRowsAsync(run) + await _factory.CountLogLineRowsAsync(run);
            if (rows != 0)
            {
                failures.Add($"run {run}: {rows} rows left after its delete");
            }
        }

        // Let the worker finish whatever it still holds (reruns), then nothing is orphaned or half there.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(_probe.OrphanRows(), Is.Zero, "steps or log lines without their run");
        Assert.That(_probe.RunsWithoutSteps(), Is.Zero, "runs without their steps");
        Figures.Record("same-run-races", new Dictionary<string, object?>
        {
            ["runs"] = Runs,
            ["parallel_requests"] = answers.Length,
            ["statuses"] = answers.GroupBy(a => $"{a.Operation} {(int)a.Status}").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ["server_errors"] = answers.Count(a => (int)a.Status >= 500),
        });
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
    }

    [Test]
    public async Task ParallelCancelsAndReadsWhileTheWorkerRuns_EndEveryRunTerminalWithItsWholeLog()
    {
        using var api = _factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync(stepCount: 2, stepParams: new JsonObject { ["iterations"] = 10, ["intervalMs"] = 50 }));
        var runs = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            runs.Add(OrchRunApiClient.IdOf(await api.CreateRunAsync(orchestrator)));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = new List<Task<(string Run, string Operation, HttpStatusCode Status, string? MediaType, string Body)>>();
        foreach (var run in runs.Where((_, i) => i % 2 == 0))
        {
            for (var k = 0; k < 5; k++)
            {
                calls.Add(CallAsync(start.Task, run, "OrchRuns_Cancel", () => api.CancelRunAsync(run, run)));
                calls.Add(CallAsync(start.Task, run, "OrchRuns_GetLogs", () => api.GetLogsAsync(run)));
                calls.Add(CallAsync(start.Task, run, "OrchRuns_Get", () => api.GetRunAsync(run)));
            }
        }

        start.SetResult();
        var answers = await Task.WhenAll(calls);
        var failures = answers.Where(a => (int)a.Status >= 500 || a.Status == HttpStatusCode.NotFound)
            .Select(a => $"{a.Operation} {a.Run}: {(int)a.Status} {a.Body}").ToList();

        // Every run reaches a final status, and then its log is whole: it ends with the end line.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var run in runs)
        {
            string status;
            do
            {
                using var response = await api.GetRunAsync(run);
                status = JsonNode.Parse(await response.Content.ReadAsStringAsync())![0]!["_status"]!.GetValue<string>();
                if (status is "COMPLETED" or "FAILED" or "CANCELLED")
                {
                    break;
                }

                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            using var logs = await api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, api.Url($"{OrchRunApiClient.RunsPath}/logs/{run}")) { Headers = { { "Accept", "application/x-ndjson" } } });
            var lines = (await logs.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (status is not ("COMPLETED" or "FAILED" or "CANCELLED"))
            {
                failures.Add($"run {run} still {status} after 60 s");
            }
            else if (lines.Length == 0 || JsonNode.Parse(lines[^1])!["end"]?.GetValue<bool>() != true)
            {
                failures.Add($"run {run} is {status} but its log does not end with the end line ({lines.Length} lines)");
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
    }

    private static async Task<(string Run, string Operation, HttpStatusCode Status, string? MediaType, string Body)> CallAsync(
        Task start, string run, string operation, Func<Task<HttpResponseMessage>> send)
    {
        await start;
        using var response = await send();
        return (run, operation, response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
