using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
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
    private static readonly int[] SqlServerTransient = [1222, 1205, 51000, -2];

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
