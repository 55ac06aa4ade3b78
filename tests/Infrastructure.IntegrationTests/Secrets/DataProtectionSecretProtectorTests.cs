using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Secrets;

/// <summary>
/// The service's own Data Protection set-up (<c>DependencyInjection.AddSecretProtection</c>) on a
/// real SQLite file: two service providers stand for two nodes sharing one database.
/// </summary>
public sealed class DataProtectionSecretProtectorTests
{
    private const string Value = "distinctive-value-8f3a";

    private SqliteTestDatabase? _database;

    [SetUp]
    public async Task Migrate() => _database = await SqliteTestDatabase.CreateMigratedAsync();

    [TearDown]
    public async Task Delete()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task Unprotect_WhenAnotherNodeProtected_ReadsTheValueWithTheKeyFromTheDatabase()
    {
        await using var nodeA = Node();
        await using var nodeB = Node();

        var protectedValue = nodeA.GetRequiredService<ISecretProtector>().Protect(Value);
        var read = nodeB.GetRequiredService<ISecretProtector>().Unprotect(protectedValue);

        await using var db = _database!.CreateContext();
        var keys = await db.DataProtectionKeys.CountAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.EqualTo(Value));
            Assert.That(protectedValue, Does.Not.Contain(Value));
            Assert.That(keys, Is.EqualTo(1), "node B used the key node A stored instead of making its own");
        }
    }

    [Test]
    public async Task Unprotect_WhenTheDatabaseHoldsAnotherKeyRing_Throws()
    {
        await using var nodeA = Node();
        var protectedValue = nodeA.GetRequiredService<ISecretProtector>().Protect(Value);

        await using var other = await SqliteTestDatabase.CreateMigratedAsync();
        await using var stranger = Node(other);

        Assert.That(() => stranger.GetRequiredService<ISecretProtector>().Unprotect(protectedValue), Throws.InstanceOf<CryptographicException>());
    }

    private ServiceProvider Node(SqliteTestDatabase? database = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var connectionString = (database ?? _database!).ConnectionString();
        services.AddDbContext<OrchRunDbContext, SqliteOrchRunDbContext>(o => o.UseSqlite(connectionString));
        DependencyInjection.AddSecretProtection(services);
        return services.BuildServiceProvider();
    }
}
