using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Migrations as deployments meet them: nodes starting at once on an empty database, the
/// <c>migrate</c> verb before nodes that do not migrate, and such a node on an older schema.
/// </summary>
[NonParallelizable]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class MigrationTests : ProviderProcessTestBase
{
    public MigrationTests(DatabaseProvider provider)
        : base(provider)
    {
    }

    [Test]
    public async Task ThreeNodes_WhenStartingAtOnceOnAnEmptyDatabase_AllStartAndEachMigrationIsAppliedOnce()
    {
        var nodes = await StartAsync(BaseSettings(), "node-1", "node-2", "node-3");

        var applied = await Database.AppliedMigrationsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nodes.Select(n => n.HasExited), Is.All.False);
            Assert.That(applied, Is.EqualTo(MigrationsOf(FixtureProvider)));
        }
    }

    [Test]
    public async Task Migrate_WhenRunBeforeNodesThatDoNotMigrate_AppliesEveryMigrationExitsZeroAndTheNodesStart()
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("dotnet", [RepositoryPaths.ApiDll, "migrate"], Environment(), Patience);
        var applied = await Database.AppliedMigrationsAsync();
        var settings = BaseSettings();
        settings["Database__MigrateOnStartup"] = "false";

        var node = (await StartAsync(settings, "node-after-migrate"))[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(stdout, Does.Contain($"{MigrationsOf(FixtureProvider).Count} migration(s) applied"), stdout);
            Assert.That(applied, Is.EqualTo(MigrationsOf(FixtureProvider)));
            Assert.That(node.HasExited, Is.False);
        }
    }

    [Test]
    public async Task Start_WhenMigrationsArePendingAndMigrateOnStartupIsOff_RefusesToStartAndNamesTheMigrateVerb()
    {
        var environment = Environment();
        environment["Database__MigrateOnStartup"] = "false";
        environment["Worker__Enabled"] = "false";

        var (exitCode, _, stderr) = await ChildProcess.RunAsync(
            "dotnet", [RepositoryPaths.ApiDll, "--urls", $"http://127.0.0.1:{LoopbackPorts.Free(1)[0]}"], environment, Patience);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, stderr);
            Assert.That(stderr, Does.Contain("pending migration").And.Contain("'migrate'"), stderr);
        }
    }

    /// <summary>The provider's migrations in the Infrastructure assembly, by id.</summary>
    private static List<string> MigrationsOf(DatabaseProvider provider)
    {
        var context = provider == DatabaseProvider.Sqlite ? typeof(SqliteOrchRunDbContext) : typeof(PostgresOrchRunDbContext);
        return typeof(OrchRunDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == context && t.IsSubclassOf(typeof(Migration)))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private Dictionary<string, string> Environment()
    {
        var environment = ServiceLaunch.ProductionSettings(string.Empty);
        environment["Database__Provider"] = FixtureProvider.ToString();
        environment["ConnectionStrings__OrchRun"] = ConnectionString;
        return environment;
    }
}
