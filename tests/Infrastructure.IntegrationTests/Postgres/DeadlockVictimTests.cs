using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Postgres;

/// <summary>
/// A deadlock victim is a lost race, like an optimistic conflict: the save is read again and
/// retried (RunChangeWithRetry), not answered 503. The soak on PostgreSQL found a DELETE of an
/// executing run chosen as the victim against the worker's save.
/// </summary>
public sealed class DeadlockVictimTests
{
    [Test]
    public async Task IsDeadlockVictim_WhenTwoTransactionsLockTwoRowsInOppositeOrders_NamesTheVictim()
    {
        await using var database = await PostgresAvailability.CreateDatabaseAsync();
        await using (var setup = new NpgsqlConnection(database.ConnectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0);", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var first = new NpgsqlConnection(database.ConnectionString);
        await using var second = new NpgsqlConnection(database.ConnectionString);
        await first.OpenAsync();
        await second.OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        await Execute(first, "UPDATE t SET v = 1 WHERE id = 1");
        await Execute(second, "UPDATE t SET v = 2 WHERE id = 2");

        var crossing = new[] { Execute(first, "UPDATE t SET v = 1 WHERE id = 2"), Execute(second, "UPDATE t SET v = 2 WHERE id = 1") };
        var failure = await Task.WhenAll(crossing).ContinueWith(t => t.Exception?.InnerExceptions.Single(), TaskScheduler.Default);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.InstanceOf<PostgresException>());
            Assert.That(DatabaseErrors.IsDeadlockVictim(new DbUpdateException("save failed", failure)), Is.True);
            Assert.That(DatabaseErrors.IsDeadlockVictim(new DbUpdateException("save failed", new PostgresException("lock timeout", "ERROR", "ERROR", PostgresErrorCodes.LockNotAvailable))), Is.False);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
