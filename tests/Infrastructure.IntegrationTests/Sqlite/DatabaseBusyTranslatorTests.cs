using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>A database held by someone else past the timeout reaches the layers above as DatabaseBusyException, not as a provider type.</summary>
public sealed class DatabaseBusyTranslatorTests
{
    [Test]
    public async Task Write_WhenAnotherConnectionHoldsTheWriteLockPastTheTimeout_ThrowsDatabaseBusyException()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var holder = database.OpenConnection();
        using var held = holder.BeginTransaction();
        using (var write = holder.CreateCommand())
        {
            write.Transaction = held;
            write.CommandText = "DELETE FROM \"OrchRuns\" WHERE 0";
            await write.ExecuteNonQueryAsync();
        }

        await using var db = new SqliteOrchRunDbContext(new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite(database.ConnectionString(defaultTimeoutSeconds: 1))
            .AddInterceptors(new SqliteBusyTimeoutInterceptor(1), new DatabaseBusyTranslator())
            .Options);

        var error = await Assert.ThrowsAsync<DatabaseBusyException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"OrchRuns\" WHERE 0"));

        Assert.That(DatabaseErrors.IsTemporarilyUnavailable(error!.InnerException!), Is.True, "the provider's error is kept as the inner exception");
    }

    [Test]
    public async Task Write_WhenTheDatabaseIsFree_GoesThrough()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var db = new SqliteOrchRunDbContext(new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite(database.ConnectionString(defaultTimeoutSeconds: 1))
            .AddInterceptors(new DatabaseBusyTranslator())
            .Options);

        Assert.That(await db.Database.ExecuteSqlRawAsync("DELETE FROM \"OrchRuns\" WHERE 0"), Is.Zero);
    }
}
