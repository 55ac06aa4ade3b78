using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>The busy timeout the service's SQLite connections get on every opening.</summary>
public sealed class SqliteBusyTimeoutInterceptorTests
{
    [Test]
    public async Task ConnectionOpened_EachTime_SetsTheConfiguredBusyTimeout()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var options = new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite(database.ConnectionString())
            .AddInterceptors(new SqliteBusyTimeoutInterceptor(7))
            .Options;
        await using var db = new SqliteOrchRunDbContext(options);

        var timeouts = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            await db.Database.OpenConnectionAsync();
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.CommandText = "PRAGMA busy_timeout;";
                timeouts.Add((long)(await command.ExecuteScalarAsync())!);
            }

            await db.Database.CloseConnectionAsync();
        }

        Assert.That(timeouts, Is.All.EqualTo(7000));
    }
}
