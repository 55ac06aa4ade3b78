using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>The providers' error codes, and which of them mean "busy, retry shortly".</summary>
internal static class DatabaseErrors
{
    public const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // SQLITE_CONSTRAINT covers foreign and unique keys alike; SQL Server names them apart.
    private const int SqliteConstraint = 19;
    private static readonly int[] SqlServerForeignOrUniqueKey = [547, 2601, 2627];

    // Lock request timeout, deadlock victim, the queued-run limit lock's own timeout, and a command timeout.
    private const int SqlServerDeadlockVictim = 1205;
    private static readonly int[] SqlServerTransient = [1222, SqlServerDeadlockVictim, 51000, -2];

    // PostgreSQL SQLSTATEs: foreign key, unique key; serialization failure, deadlock detected,
    // lock not available (lock_timeout), query cancelled (statement_timeout), too many connections.
    private static readonly string[] PostgresForeignOrUniqueKey = [PostgresErrorCodes.ForeignKeyViolation, PostgresErrorCodes.UniqueViolation];
    private static readonly string[] PostgresTransient =
    [
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.LockNotAvailable,
        PostgresErrorCodes.QueryCanceled,
        PostgresErrorCodes.TooManyConnections,
    ];

    /// <summary>
    /// The database is there but busy or locked past its timeout: the caller may retry shortly
    /// (503), as opposed to a fault in the service.
    /// </summary>
    public static bool IsTemporarilyUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseBusyException:
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                case SqlException sql when SqlServerTransient.Contains(sql.Number):
                case PostgresException pg when PostgresTransient.Contains(pg.SqlState):
                // Npgsql's own verdict: the server unreachable or restarting, a pool with no free
                // connection in time, a command timeout.
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The server chose this transaction as a deadlock's victim and rolled it back (PostgreSQL 40P01, SQL Server 1205).</summary>
    public static bool IsDeadlockVictim(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } or SqlException { Number: SqlServerDeadlockVictim })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A save failed on a foreign key (the parent row is gone) or a unique key (the row is already there).</summary>
    public static bool IsForeignOrUniqueKeyViolation(Exception exception) => exception?.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        SqlException sql => SqlServerForeignOrUniqueKey.Contains(sql.Number),
        PostgresException pg => PostgresForeignOrUniqueKey.Contains(pg.SqlState),
        _ => false,
    };

    /// <summary>The application's exception for a busy database, or null when <paramref name="exception"/> is something else.</summary>
    public static DatabaseBusyException? AsBusy(Exception exception) =>
        exception switch
        {
            DatabaseBusyException busy => busy,
            _ when IsTemporarilyUnavailable(exception) => new DatabaseBusyException("The database is busy; retry shortly.", exception),
            _ => null,
        };
}
