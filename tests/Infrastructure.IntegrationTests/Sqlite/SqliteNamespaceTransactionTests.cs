using Microsoft.Data.Sqlite;
using OrchRunService.Infrastructure.IntegrationTests.Repositories;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.Repositories;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>How SQLite serialises namespace transactions: the database's write lock.</summary>
public sealed class SqliteNamespaceTransactionTests
{
    private SqliteTestDatabase? _database;

    private SqliteTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await SqliteTestDatabase.CreateMigratedAsync();

    [OneTimeTearDown]
    public async Task Delete()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhileAnotherIsOpen_CannotStart()
    {
        var @namespace = TestData.NewNamespace();
        await using var first = Database.CreateContext();
        await using var firstTransaction = await RunRepositories.For(first).BeginNamespaceTransactionAsync(@namespace, CancellationToken.None);
        await using var second = Database.CreateContext(defaultTimeoutSeconds: 1);

        // Namespace transactions hold the database's write lock from their first statement, so two can never count at once.
        var busy = await Assert.ThrowsAsync<SqliteException>(async () =>
            await (await RunRepositories.For(second).BeginNamespaceTransactionAsync(@namespace, CancellationToken.None)).DisposeAsync());

        Assert.That(busy!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
    }
}
