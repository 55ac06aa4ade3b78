using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Support;

/// <summary>A migrated SQLite file in the temp folder, deleted on dispose; contexts over it on demand.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private SqliteTestDatabase(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Without pooling, so the file is closed (and deletable) once every context is disposed.</summary>
    public string ConnectionString(int defaultTimeoutSeconds = 30) =>
        new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = defaultTimeoutSeconds }.ToString();

    public static async Task<SqliteTestDatabase> CreateMigratedAsync()
    {
        var database = CreateEmpty();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public static SqliteTestDatabase CreateEmpty() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"orchrun-integration-{Guid.NewGuid():N}.db"));

    public SqliteOrchRunDbContext CreateContext(int defaultTimeoutSeconds = 30) =>
        new(new DbContextOptionsBuilder<SqliteOrchRunDbContext>().UseSqlite(ConnectionString(defaultTimeoutSeconds)).Options);

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString());
        connection.Open();
        return connection;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is not worth failing a test for.
            }
        }

        return ValueTask.CompletedTask;
    }
}
