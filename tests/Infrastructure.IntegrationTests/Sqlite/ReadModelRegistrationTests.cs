using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.ReadModels;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>Which run read model each provider gets, and the read pool's lifetime in the container.</summary>
public sealed class ReadModelRegistrationTests
{
    [Test]
    public void AddInfrastructure_GivesSqliteThePlainSqlReadModel_AndSqlServerTheEfOne()
    {
        static ServiceDescriptor ReadModel(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetTempPath());
            return services.Single(d => d.ServiceType == typeof(IOrchRunReadModel));
        }

        var sqlite = ReadModel(new() { ["Database:Provider"] = "Sqlite" });
        var sqlServer = ReadModel(new() { ["Database:Provider"] = "SqlServer", ["ConnectionStrings:OrchRun"] = "Server=none;Database=orchrun" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sqlite.ImplementationType, Is.EqualTo(typeof(SqliteOrchRunReadModel)));
            Assert.That(sqlite.Lifetime, Is.EqualTo(ServiceLifetime.Singleton), "stateless over the pool");
            Assert.That(sqlServer.ImplementationType, Is.EqualTo(typeof(OrchRunReadModel)));
            Assert.That(sqlServer.Lifetime, Is.EqualTo(ServiceLifetime.Scoped));
        }
    }

    [Test]
    public void AddInfrastructure_WhenSqliteHandWrittenReadsAreOff_GivesSqliteTheEfReadModel()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:HandWrittenReads"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetTempPath());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.Single(d => d.ServiceType == typeof(IOrchRunReadModel)).ImplementationType, Is.EqualTo(typeof(OrchRunReadModel)));
            Assert.That(services.Any(d => d.ServiceType == typeof(SqliteReadConnectionPool)), Is.False);
        }
    }

    [Test]
    public async Task ReadPool_WhenTheContainerIsDisposed_ClosesItsConnections()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:OrchRun"] = database.ConnectionString(),
        }).Build();
        var provider = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetTempPath()).BuildServiceProvider();
        var pool = provider.GetRequiredService<SqliteReadConnectionPool>();

        var page = await provider.GetRequiredService<IOrchRunReadModel>().ListAsync(new OrchRunListFilter(TestData.NewNamespace(), 0, 20, [], null, null), CancellationToken.None);
        var openWhileRunning = pool.OpenCount;
        await provider.DisposeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Total, Is.Zero);
            Assert.That(openWhileRunning, Is.EqualTo(1));
            Assert.That(pool.OpenCount, Is.Zero);
        }
    }
}
