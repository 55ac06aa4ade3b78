using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the service opens. Microsoft.Data.Sqlite
/// does not: a statement that meets a held write lock gets SQLITE_BUSY at once and the driver
/// retries it after sleeping 150 ms, again and again until the command timeout. With
/// <c>PRAGMA busy_timeout</c> SQLite waits inside the statement, polling the lock after 1, 2, 5,
/// 10... ms, so writers that queue behind each other (creates, claims, worker saves) go on as
/// soon as the lock is free. The limit stays Database:BusyTimeoutSeconds.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    private readonly string _pragma;

    public SqliteBusyTimeoutInterceptor(int busyTimeoutSeconds)
    {
        _pragma = "PRAGMA busy_timeout = " + (busyTimeoutSeconds * 1000).ToString(CultureInfo.InvariantCulture) + ";";
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
