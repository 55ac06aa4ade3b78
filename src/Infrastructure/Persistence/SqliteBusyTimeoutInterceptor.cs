using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the service opens. Microsoft.Data.Sqlite
/// does not: a statement that meets a held write lock gets SQLITE_BUSY at once and the driver
/// retries it after sleeping 150 ms, again and again until the command timeout. With a busy
/// timeout SQLite waits inside the statement, polling the lock after 1, 2, 5, 10... ms, so
/// writers that queue behind each other (creates, claims, worker saves) go on as soon as the
/// lock is free. The limit stays Database:BusyTimeoutSeconds.
/// </summary>
/// <remarks>
/// EF opens the connection for every query, so this runs on every read: it calls
/// sqlite3_busy_timeout on the handle (what <c>PRAGMA busy_timeout</c> does) instead of
/// preparing and running a PRAGMA statement each time.
/// </remarks>
internal sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    private readonly int _milliseconds;

    public SqliteBusyTimeoutInterceptor(int busyTimeoutSeconds)
    {
        _milliseconds = busyTimeoutSeconds * 1000;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the busy timeout on an open connection the service opens without EF (the read connections).</summary>
    public static void ApplyTo(SqliteConnection connection, int milliseconds)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var handle = connection.Handle;
        var rc = SQLitePCL.raw.sqlite3_busy_timeout(handle, milliseconds);
        SqliteException.ThrowExceptionForRC(rc, handle);
    }

    private void Apply(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ApplyTo((SqliteConnection)connection, _milliseconds);
    }
}
