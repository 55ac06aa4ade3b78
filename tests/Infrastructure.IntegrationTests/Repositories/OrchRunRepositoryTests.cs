using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.Repositories;
using OrchRunService.Infrastructure.Retention;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>OrchRunRepository on a real SQLite file and a PostgreSQL database; every test works in a namespace of its own.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class OrchRunRepositoryTests
{
    private readonly DatabaseProvider _provider;
    private ProviderTestDatabase? _database;
    private string _namespace = string.Empty;

    public OrchRunRepositoryTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private ProviderTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await ProviderTestDatabase.CreateMigratedAsync(_provider);

    [OneTimeTearDown]
    public async Task Delete()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SetUp]
    public void NewNamespace() => _namespace = TestData.NewNamespace();

    [Test]
    public async Task FindAsync_WhenRunIsInTheNamespace_ReturnsItWithItsStepsInOrder()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start], steps: 3))[0];

        await using var db = Database.CreateContext();
        var found = await RunRepositories.For(db).FindAsync(run.Id, _namespace, CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found!.Id, Is.EqualTo(run.Id));
            Assert.That(found.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.Start));
            Assert.That(found.CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero), "read back as UTC");
            Assert.That(found.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(found.Steps.Select(s => s.RunParams.Json), Is.All.EqualTo("{\"iterations\":0}"));
        }
    }

    [Test]
    public async Task FindAsync_WhenRunIsInAnotherNamespace_ReturnsNull()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];

        await using var db = Database.CreateContext();
        var repository = RunRepositories.For(db);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await repository.FindAsync(run.Id, TestData.NewNamespace(), CancellationToken.None), Is.Null);
            Assert.That(await repository.FindAsync(Guid.NewGuid(), _namespace, CancellationToken.None), Is.Null);
        }
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhenNamespaceHasRunsOfEveryStatus_CountsOnlyQueuedOnes()
    {
        var runs = await SeedAsync(_namespace, Enumerable.Range(0, 6).Select(i => TestData.Start.AddMinutes(i)).ToList());
        await SetStatusAsync(runs[2].Id, OrchRunStatus.Running);
        await SetStatusAsync(runs[3].Id, OrchRunStatus.RequestCancel);
        await SetStatusAsync(runs[4].Id, OrchRunStatus.Completed);
        await SetStatusAsync(runs[5].Id, OrchRunStatus.Cancelled);
        await SeedAsync(TestData.NewNamespace(), [TestData.Start, TestData.Start]);

        await using var db = Database.CreateContext();
        await using var transaction = await RunRepositories.For(db).BeginNamespaceTransactionAsync(_namespace, CancellationToken.None);

        Assert.That(transaction.QueuedRuns, Is.EqualTo(2));
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhenCommitted_StoresTheAddedRun()
    {
        var orchestrator = await SeedOrchestratorAsync();
        var run = TestData.Run(orchestrator, TestData.Start);

        await using (var db = Database.CreateContext())
        {
            var repository = RunRepositories.For(db);
            await using var transaction = await repository.BeginNamespaceTransactionAsync(_namespace, CancellationToken.None);
            repository.Add(run);
            await transaction.CommitAsync(CancellationToken.None);
        }

        Assert.That(await CountAsync(db => db.OrchRuns.CountAsync(r => r.Id == run.Id)), Is.EqualTo(1));
    }

    [Test]
    public async Task BeginNamespaceTransactionAsync_WhenDisposedWithoutCommit_StoresNothing()
    {
        var orchestrator = await SeedOrchestratorAsync();
        var run = TestData.Run(orchestrator, TestData.Start);

        await using (var db = Database.CreateContext())
        {
            var repository = RunRepositories.For(db);
            await using (await repository.BeginNamespaceTransactionAsync(_namespace, CancellationToken.None))
            {
                repository.Add(run);
                await db.SaveChangesAsync();
            }
        }

        Assert.That(await CountAsync(db => db.OrchRuns.CountAsync(r => r.Id == run.Id)), Is.Zero);
    }

    [Test]
    public async Task SaveChangesAsync_WhenTheRunWasChangedMeanwhile_ThrowsConcurrencyConflict()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];
        await using var winnerDb = Database.CreateContext();
        await using var loserDb = Database.CreateContext();
        var winner = RunRepositories.For(winnerDb);
        var loser = RunRepositories.For(loserDb);
        var winnersCopy = await winner.FindAsync(run.Id, _namespace, CancellationToken.None);
        var losersCopy = await loser.FindAsync(run.Id, _namespace, CancellationToken.None);

        winnersCopy!.Claim("node-a", TestData.Start.AddMinutes(1), TestData.Start);
        await winner.SaveChangesAsync(CancellationToken.None);
        losersCopy!.RequestCancel(TestData.Start);

        await Assert.ThatAsync(() => loser.SaveChangesAsync(CancellationToken.None), Throws.TypeOf<ConcurrencyConflictException>());
        var reread = await loser.FindAsync(run.Id, _namespace, CancellationToken.None);
        Assert.That(reread!.Status, Is.EqualTo(OrchRunStatus.Running), "after a conflict the repository reads the winner's state");
    }

    [Test]
    public async Task SaveChangesAsync_WhenTheRunWasDeletedMeanwhile_ThrowsConcurrencyConflict()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];
        await using var deleterDb = Database.CreateContext();
        await using var writerDb = Database.CreateContext();
        var deleter = RunRepositories.For(deleterDb);
        var writer = RunRepositories.For(writerDb);
        var writersCopy = await writer.FindAsync(run.Id, _namespace, CancellationToken.None);
        deleter.Remove((await deleter.FindAsync(run.Id, _namespace, CancellationToken.None))!);
        await deleter.SaveChangesAsync(CancellationToken.None);

        writersCopy!.RequestCancel(TestData.Start);

        await Assert.ThatAsync(() => writer.SaveChangesAsync(CancellationToken.None), Throws.TypeOf<ConcurrencyConflictException>());
    }

    [Test]
    public async Task SaveChangesAsync_WhenRunChanges_BumpsItsVersion()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];
        var before = await VersionOfAsync(run.Id);

        await using (var db = Database.CreateContext())
        {
            var repository = RunRepositories.For(db);
            (await repository.FindAsync(run.Id, _namespace, CancellationToken.None))!.RequestCancel(TestData.Start);
            await repository.SaveChangesAsync(CancellationToken.None);
        }

        Assert.That(await VersionOfAsync(run.Id), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task Remove_WhenSaved_DeletesTheRunItsStepsAndItsLogLines()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start], steps: 2))[0];
        var other = (await SeedAsync(_namespace, [TestData.Start]))[0];
        await using (var db = Database.CreateContext())
        {
            db.RunLogLines.AddRange(
                new RunLogLine(run.Id, 1, TestData.Start, RunLogLevel.Info, "Orch run execution has begun", false),
                new RunLogLine(run.Id, 2, TestData.Start, RunLogLevel.Info, "Orch run has ended. Closing up file log stream", true),
                new RunLogLine(other.Id, 1, TestData.Start, RunLogLevel.Info, "kept", false));
            await db.SaveChangesAsync();
        }

        await using (var db = Database.CreateContext())
        {
            var repository = RunRepositories.For(db);
            repository.Remove((await repository.FindAsync(run.Id, _namespace, CancellationToken.None))!);
            await repository.SaveChangesAsync(CancellationToken.None);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await CountAsync(db => db.OrchRuns.CountAsync(r => r.Id == run.Id)), Is.Zero);
            Assert.That(await CountAsync(db => db.Set<OrchRunStep>().CountAsync(s => s.RunId == run.Id)), Is.Zero);
            Assert.That(await CountAsync(db => db.RunLogLines.CountAsync(l => l.RunId == run.Id)), Is.Zero);
            Assert.That(await CountAsync(db => db.RunLogLines.CountAsync(l => l.RunId == other.Id)), Is.EqualTo(1), "another run's log stays");
            Assert.That(await CountAsync(db => db.Set<OrchRunStep>().CountAsync(s => s.RunId == other.Id)), Is.EqualTo(1), "another run's steps stay");
        }
    }

    [Test]
    public async Task LogLines_WhenTheirRunDoesNotExist_AreRefused()
    {
        await using var db = Database.CreateContext();
        db.RunLogLines.Add(new RunLogLine(Guid.NewGuid(), 1, TestData.Start, RunLogLevel.Info, "orphan", false));

        await Assert.ThatAsync(() => db.SaveChangesAsync(), Throws.InstanceOf<DbUpdateException>());
    }

    private async Task<Orchestrator> SeedOrchestratorAsync(int steps = 1)
    {
        var orchestrator = TestData.Orchestrator(_namespace, steps);
        await using var db = Database.CreateContext();
        db.Orchestrators.Add(orchestrator);
        await db.SaveChangesAsync();
        return orchestrator;
    }

    /// <summary>One QUEUED run per creation time, in the given order, of a new orchestrator of <paramref name="namespace"/>.</summary>
    private async Task<List<OrchRun>> SeedAsync(string @namespace, IReadOnlyList<DateTimeOffset> createdAt, int steps = 1)
    {
        var orchestrator = TestData.Orchestrator(@namespace, steps);
        var runs = createdAt.Select(t => TestData.Run(orchestrator, t)).ToList();
        await using var db = Database.CreateContext();
        db.OrchRuns.AddRange(runs);
        await db.SaveChangesAsync();
        return runs;
    }

    private async Task SetStatusAsync(Guid runId, OrchRunStatus status)
    {
        await using var db = Database.CreateContext();
        await db.OrchRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status));
    }

    private Task<int> VersionOfAsync(Guid runId) =>
        CountAsync(db => db.OrchRuns.Where(r => r.Id == runId).Select(r => EF.Property<int>(r, OrchRunDbContext.VersionProperty)).SingleAsync());

    private async Task<int> CountAsync(Func<OrchRunDbContext, Task<int>> query)
    {
        await using var db = Database.CreateContext();
        return await query(db);
    }
}
