using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Infrastructure.IntegrationTests.Support;

/// <summary>A migrated database of one fixture on the given provider: a SQLite file or a PostgreSQL database; contexts over it on demand.</summary>
internal sealed class ProviderTestDatabase : IAsyncDisposable
{
    private readonly SqliteTestDatabase? _sqlite;
    private readonly PostgresTestDatabase? _postgres;

    private ProviderTestDatabase(SqliteTestDatabase? sqlite, PostgresTestDatabase? postgres)
    {
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public static async Task<ProviderTestDatabase> CreateMigratedAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return new ProviderTestDatabase(await SqliteTestDatabase.CreateMigratedAsync(), null);
        }

        var database = new ProviderTestDatabase(null, await PostgresAvailability.CreateDatabaseAsync());
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>The SQLite file's connection string (SQLite only).</summary>
    public string SqliteConnectionString => _sqlite?.ConnectionString() ?? throw new InvalidOperationException("Not a SQLite database.");

    public OrchRunDbContext CreateContext() =>
        _postgres is null
            ? _sqlite!.CreateContext()
            : new PostgresOrchRunDbContext(new DbContextOptionsBuilder<PostgresOrchRunDbContext>().UseNpgsql(_postgres.ConnectionString).Options);

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
