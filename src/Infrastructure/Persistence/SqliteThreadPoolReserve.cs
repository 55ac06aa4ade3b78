using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Raises the thread pool's minimum worker threads at start-up when the database is SQLite.
/// SQLite waits for a held lock inside the statement (its busy handler sleeps on the calling
/// thread; Microsoft.Data.Sqlite's async methods run synchronously), so while another
/// connection holds the write lock every waiting write — requests, log flushes, lease renewals —
/// blocks a pool thread for up to Database:BusyTimeoutSeconds. Above the minimum the pool adds
/// threads only about one per half second, so other requests' continuations would queue behind
/// the blocked ones. With the minimum at least the number of writers that can wait at once, new
/// threads start without that delay; they are created only when needed and retire when idle.
/// Figures: docs/decisions/008-sqlite-thread-pool-reserve.md.
/// </summary>
internal sealed class SqliteThreadPoolReserve : IHostedService
{
    private readonly int _minWorkerThreads;
    private readonly ILogger<SqliteThreadPoolReserve> _logger;

    public SqliteThreadPoolReserve(int minWorkerThreads, ILogger<SqliteThreadPoolReserve> logger)
    {
        _minWorkerThreads = minWorkerThreads;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (_minWorkerThreads > workers && ThreadPool.SetMinThreads(_minWorkerThreads, completionPorts))
        {
            _logger.LogInformation("Thread pool minimum raised from {Before} to {After} worker threads for SQLite's blocking lock waits", workers, _minWorkerThreads);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
