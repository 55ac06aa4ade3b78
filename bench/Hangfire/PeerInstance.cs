using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace OrchRunService.Bench.Hangfire;

/// <summary>
/// One configuration running: its own fresh SQLite file, its own <see cref="SQLiteStorage"/> passed
/// explicitly to its server and client (no global storage, so configurations never share state),
/// and a server with the configuration's workers. Disposing stops the server and the storage.
/// </summary>
internal sealed class PeerInstance : IDisposable
{
    private readonly SQLiteStorage _storage;
    private readonly BackgroundJobServer _server;

    private PeerInstance(PeerConfiguration configuration, string db, SQLiteStorageOptions options, SQLiteStorage storage, BackgroundJobServer server)
    {
        Configuration = configuration;
        Db = db;
        Options = options;
        _storage = storage;
        _server = server;
        Client = new BackgroundJobClient(storage);
        Monitoring = storage.GetMonitoringApi();
        StartedAtRuns = NoopJob.Runs;
    }

    /// <summary>The process's no-op job runs when this instance started: later runs are this storage's jobs.</summary>
    public long StartedAtRuns { get; }

    public PeerConfiguration Configuration { get; }

    public string Db { get; }

    public SQLiteStorageOptions Options { get; }

    public BackgroundJobClient Client { get; }

    public IMonitoringApi Monitoring { get; }

    public static PeerInstance Start(PeerConfiguration configuration, string db)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(db + suffix);
        }

        var options = new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(configuration.PollMs) };
        var storage = new SQLiteStorage(db, options);
        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = configuration.Workers, ServerName = "bench-" + configuration.Key },
            storage);
        return new PeerInstance(configuration, db, options, storage, server);
    }

    public void Dispose()
    {
        _server.Dispose();
        _storage.Dispose();
    }
}
