using Microsoft.Data.Sqlite;
using NUnit.Framework.Interfaces;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Starts real service processes on a temporary SQLite file and always kills them afterwards,
/// whether the test passed or not (their output is printed when it failed).
/// </summary>
public abstract class ProcessTestBase
{
    /// <summary>A bound for waits that should end much sooner: a hang fails instead of blocking the run.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<ApiProcess> _processes = [];
    private string? _folder;
    private PostgresTestDatabase? _postgres;

    protected string DatabaseFile { get; private set; } = string.Empty;

    /// <summary>The provider of the processes' database: SQLite unless a test chose PostgreSQL.</summary>
    private protected DatabaseProvider Provider { get; private set; } = DatabaseProvider.Sqlite;

    /// <summary>The processes' connection string (of <see cref="DatabaseFile"/> on SQLite).</summary>
    private protected string ConnectionString { get; private set; } = string.Empty;

    private protected RunDatabase Database { get; private set; } = null!;

    /// <summary>The settings every process gets: short leases and polls, no queued-run limit in the way.</summary>
    protected static Dictionary<string, string> BaseSettings() => new()
    {
        ["Worker__LeaseSeconds"] = "3",
        ["Worker__PollIntervalMs"] = "200",
        ["Worker__LogFlushIntervalMs"] = "100",
        ["Runs__MaxQueuedPerNamespace"] = "100000",
        ["Database__BusyTimeoutSeconds"] = "30",
    };

    protected static string NewNamespace(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    protected void UseNewDatabase()
    {
        _folder = Path.Combine(Path.GetTempPath(), "orchrun-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        DatabaseFile = Path.Combine(_folder, "orchrun.db");
        Provider = DatabaseProvider.Sqlite;
        ConnectionString = $"Data Source={DatabaseFile}";
        Database = RunDatabase.Sqlite(DatabaseFile);
    }

    /// <summary>
    /// A new empty database of the provider for this test's processes (they migrate it when they
    /// start). PostgreSQL: skipped with the reason when none is available, failed on CI.
    /// </summary>
    private protected async Task UseNewDatabaseAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            UseNewDatabase();
            return;
        }

        if (PostgresTestServer.ConnectionString is null)
        {
            if (PostgresTestServer.IsRequired)
            {
                Assert.Fail(PostgresTestServer.UnavailableReason);
            }

            Assert.Ignore(PostgresTestServer.UnavailableReason);
        }

        _postgres = await PostgresTestServer.CreateDatabaseAsync();
        Provider = DatabaseProvider.Postgres;
        ConnectionString = _postgres.ConnectionString;
        Database = new RunDatabase(Provider, ConnectionString);
    }

    /// <summary>Starts one process per node id (in parallel) and waits until all are ready.</summary>
    private protected async Task<ApiProcess[]> StartAsync(IReadOnlyDictionary<string, string> settings, params string[] nodeIds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ports = LoopbackPorts.Free(nodeIds.Length);
        var started = nodeIds.Select((node, i) => ApiProcess.Start(Provider, ConnectionString, node, ports[i], settings)).ToArray();
        _processes.AddRange(started);
        await Task.WhenAll(started.Select(p => p.WaitReadyAsync(Patience)));
        await Report($"{started.Length} process(es) ready in {clock.Elapsed.TotalSeconds:F1} s");
        return started;
    }

    /// <summary>Kills every process this test started, prints their output if the test failed, removes the database.</summary>
    protected async Task StopAllAsync()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
        foreach (var process in _processes)
        {
            if (failed)
            {
                await TestContext.Out.WriteLineAsync($"--- output of node {process.NodeId} ---\n{process.OutputTail(80)}");
            }

            await process.DisposeAsync();
        }

        _processes.Clear();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _postgres = null;
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    protected static async Task Report(string line) => await TestContext.Progress.WriteLineAsync($"[measure] {line}");

    /// <summary>Polls until <paramref name="condition"/> holds; fails (not a timing claim) after <paramref name="timeout"/>.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
