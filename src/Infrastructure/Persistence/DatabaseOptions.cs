namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Apply pending migrations at start-up (always on for SQLite).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long a statement waits for a locked SQLite database before giving up (then 503).</summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// SQLite only: the thread pool's minimum worker threads, so that writes blocked on a held lock
    /// do not starve other requests; 0 (the default) sizes it from Worker:MaxConcurrentRuns and the cores.
    /// </summary>
    public int MinWorkerThreads { get; set; }

    public DatabaseProvider ParseProvider() =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{Provider}' is not supported; use 'Sqlite' or 'SqlServer'.");
}

public enum DatabaseProvider
{
    Sqlite = 1,
    SqlServer = 2,
}
