using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace OrchRunService.Infrastructure.Persistence;

public static class DatabaseErrors
{
    internal const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // Lock request timeout, deadlock victim, and the admission lock's own timeout.
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
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                case SqlException sql when SqlServerTransient.Contains(sql.Number):
                    return true;
            }
        }

        return false;
    }
}
