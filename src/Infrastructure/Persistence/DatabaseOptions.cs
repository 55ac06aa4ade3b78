namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (the embedded default), <c>Postgres</c> or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>
    /// Apply pending migrations at start-up, on every provider; false for deployments that run the
    /// <c>migrate</c> verb before rolling out (a node then refuses to start on a database with pending migrations).
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long a statement waits for a locked SQLite database before giving up (then 503).</summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// SQLite only: the thread pool's minimum worker threads, so that writes blocked on a held lock
    /// do not starve other requests; 0 (the default) sizes it from Worker:MaxConcurrentRuns and the cores.
    /// </summary>
    public int MinWorkerThreads { get; set; }

    /// <summary>
    /// SQLite only: the run list and GET by id read through hand-written SQL on kept-open read-only
    /// connections (docs/decisions/006-sqlite-hand-written-reads.md); false reads through EF Core as on SQL Server.
    /// </summary>
    public bool HandWrittenReads { get; set; } = true;

    /// <summary>SQLite only: how many read-only connections the hand-written reads keep open; 0 (the default) is the cores plus 2, at least 4.</summary>
    public int ReadConnections { get; set; }

    /// <summary>SQLite only: queue this process's write transactions in memory (docs/decisions/007-sqlite-write-gate.md).</summary>
    public bool WriteGate { get; set; } = true;

    /// <summary>SQLite only: how often, while a write turn is held, the write gate looks for a turn held by a transaction that already ended.</summary>
    public int WriteGateReclaimIntervalMs { get; set; } = 100;

    /// <summary>
    /// The thread pool's minimum when <see cref="MinWorkerThreads"/> is 0: the writers that may block
    /// at once. Each executing run flushes logs and renews its lease, the claim loop and housekeeping
    /// write too, and requests come on top, per core.
    /// </summary>
    public int EffectiveMinWorkerThreads(int maxConcurrentRuns) =>
        MinWorkerThreads > 0 ? MinWorkerThreads : (4 * maxConcurrentRuns) + (16 * Environment.ProcessorCount);

    /// <summary>Read connections when <see cref="ReadConnections"/> is 0: a few more than cores keep every core busy while one read waits on a lock.</summary>
    public int EffectiveReadConnections => ReadConnections > 0 ? ReadConnections : Math.Max(4, Environment.ProcessorCount + 2);

    public DatabaseProvider ParseProvider() =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{Provider}' is not supported; use 'Sqlite', 'Postgres' or 'SqlServer'.");
}

public enum DatabaseProvider
{
    Sqlite = 1,
    SqlServer = 2,
    Postgres = 3,
}
