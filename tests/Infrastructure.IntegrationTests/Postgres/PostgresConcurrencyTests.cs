using Microsoft.EntityFrameworkCore;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Repositories;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.Repositories;

namespace OrchRunService.Infrastructure.IntegrationTests.Postgres;

/// <summary>
/// The PostgreSQL statements of docs/decisions/011-postgresql-concurrency.md against a real
/// server: the per-namespace lock, the SKIP LOCKED claim, the kept counts, the column
/// types and collations.
/// </summary>
public sealed class PostgresConcurrencyTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(500);

    private ProviderTestDatabase? _database;

    private ProviderTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await ProviderTestDatabase.CreateMigratedAsync(DatabaseProvider.Postgres);

    [OneTimeTearDown]
    public async Task Drop()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhileATransactionOfTheNamespaceIsOpen_WaitsForItsEnd()
    {
        var @namespace = TestData.NewNamespace();
        await using var first = Database.CreateContext();
        await using var second = Database.CreateContext();
        var firstTransaction = await RunRepositories.For(first).BeginNamespaceTransactionAsync(@namespace, CancellationToken.None);

        var waiting = RunRepositories.For(second).BeginNamespaceTransactionAsync(@namespace, CancellationToken.None);
        var waitedWhileHeld = await Task.WhenAny(waiting, Task.Delay(Blocked)) != waiting;
        await firstTransaction.DisposeAsync();
        await using var secondTransaction = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(waitedWhileHeld, Is.True, "the second transaction of a namespace waits for the first");
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhileAnotherNamespaceHoldsOne_DoesNotWait()
    {
        await using var first = Database.CreateContext();
        await using var second = Database.CreateContext();
        await using var held = await RunRepositories.For(first).BeginNamespaceTransactionAsync(TestData.NewNamespace(), CancellationToken.None);

        var other = RunRepositories.For(second).BeginNamespaceTransactionAsync(TestData.NewNamespace(), CancellationToken.None);

        Assert.That(await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(other), "another namespace is admitted at once");
        await using var admitted = await other;
    }

    [Test]
    public async Task BeginClaimOfQueuedRunsAsync_WhileAnotherClaimHoldsTheOldest_TakesTheNextOnes()
    {
        var runs = await SeedAsync(TestData.NewNamespace(), 4);
        await using var first = Database.CreateContext();
        await using var second = Database.CreateContext();

        var firstIds = await first.BeginClaimOfQueuedRunsAsync(2, CancellationToken.None);
        var secondClaim = second.BeginClaimOfQueuedRunsAsync(4, CancellationToken.None);

        // The second claim chose its runs at once, skipping the held ones; it then waits for the
        // namespace's kept counts, which the first claim holds until it ends.
        var waitedForCounts = await Task.WhenAny(secondClaim, Task.Delay(Blocked)) != secondClaim;
        await first.Database.RollbackTransactionAsync();
        var secondIds = await secondClaim.WaitAsync(TimeSpan.FromSeconds(10));
        await second.Database.RollbackTransactionAsync();

        var mine = runs.Select(r => r.Id).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstIds.Where(mine.Contains), Is.EquivalentTo(runs.Take(2).Select(r => r.Id)), "the oldest two");
            Assert.That(secondIds.Where(mine.Contains), Is.EquivalentTo(runs.Skip(2).Select(r => r.Id)), "SKIP LOCKED: the two the first claim did not hold");
            Assert.That(waitedForCounts, Is.True, "claims of one namespace take turns on its kept counts");
        }
    }

    [Test]
    public async Task CountRunsAsync_AfterInsertsStatusChangesAndDeletes_EqualsTheRows()
    {
        var @namespace = TestData.NewNamespace();
        var runs = await SeedAsync(@namespace, 5);
        await using (var db = Database.CreateContext())
        {
            await db.OrchRuns.Where(r => r.Id == runs[0].Id || r.Id == runs[1].Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, OrchRunStatus.Completed));
            await db.OrchRuns.Where(r => r.Id == runs[2].Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, OrchRunStatus.Running));
            await db.OrchRuns.Where(r => r.Id == runs[3].Id).ExecuteDeleteAsync();
        }

        await using var read = Database.CreateContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await read.CountRunsAsync(@namespace, [], CancellationToken.None), Is.EqualTo(4));
            Assert.That(await read.CountRunsAsync(@namespace, [OrchRunStatus.Queued], CancellationToken.None), Is.EqualTo(1));
            Assert.That(await read.CountRunsAsync(@namespace, [OrchRunStatus.Completed, OrchRunStatus.Running], CancellationToken.None), Is.EqualTo(3));
            Assert.That(await read.CountRunsAsync(TestData.NewNamespace(), [], CancellationToken.None), Is.Zero);
        }
    }

    [Test]
    public async Task Schema_WhenMigrated_StoresTimesAsTimestamptzAndNamespacesInByteOrder()
    {
        await using var db = Database.CreateContext();

        var timeTypes = await db.Database.SqlQueryRaw<string>(
            "SELECT DISTINCT data_type AS \"Value\" FROM information_schema.columns WHERE table_name = 'OrchRuns' AND column_name IN ('CreatedAt', 'UpdatedAt', 'LeaseExpiresAt')").ToListAsync();
        var collations = await db.Database.SqlQueryRaw<string>(
            "SELECT DISTINCT collation_name AS \"Value\" FROM information_schema.columns WHERE column_name IN ('Namespace', 'UserId', 'Key') AND table_name IN ('OrchRuns', 'Orchestrators', 'IdempotencyKeys')").ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeTypes, Is.EqualTo(new[] { "timestamp with time zone" }));
            Assert.That(collations, Is.EqualTo(new[] { PostgresOrchRunDbContext.BinaryCollation }));
        }
    }

    private async Task<List<OrchRun>> SeedAsync(string @namespace, int count)
    {
        var orchestrator = TestData.Orchestrator(@namespace);

        // Older than anything the other tests of this database queue, so these are the oldest.
        var runs = Enumerable.Range(0, count).Select(i => TestData.Run(orchestrator, TestData.Start.AddYears(-10).AddSeconds(i))).ToList();
        await using var db = Database.CreateContext();
        db.OrchRuns.AddRange(runs);
        await db.SaveChangesAsync();
        return runs;
    }
}
