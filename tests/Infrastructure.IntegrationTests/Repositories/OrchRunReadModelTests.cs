using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.ReadModels;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>
/// Both run read models on a real SQLite file, the EF one (SQL Server's and PostgreSQL's) and the
/// plain-SQL one SQLite uses, and the EF one on a PostgreSQL database. Every test works in a
/// namespace of its own.
/// </summary>
[TestFixture(ReadModelKind.Ef)]
[TestFixture(ReadModelKind.Sqlite)]
[TestFixture(ReadModelKind.EfOnPostgres)]
public sealed class OrchRunReadModelTests
{
    private readonly ReadModelKind _kind;
    private ProviderTestDatabase? _database;
    private SqliteReadConnectionPool? _pool;
    private string _namespace = string.Empty;

    public OrchRunReadModelTests(ReadModelKind kind)
    {
        _kind = kind;
    }

    public enum ReadModelKind
    {
        Ef,
        Sqlite,
        EfOnPostgres,
    }

    private ProviderTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate()
    {
        _database = await ProviderTestDatabase.CreateMigratedAsync(_kind == ReadModelKind.EfOnPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite);
        if (_kind == ReadModelKind.Sqlite)
        {
            _pool = new SqliteReadConnectionPool(Database.SqliteConnectionString, busyTimeoutSeconds: 30, maxConnections: 2);
        }
    }

    [OneTimeTearDown]
    public async Task Delete()
    {
        _pool?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SetUp]
    public void NewNamespace() => _namespace = TestData.NewNamespace();

    [Test]
    public async Task FindAsync_WhenRunIsInTheNamespace_ReturnsItsDtoWithItsStepsInOrder()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start], steps: 3))[0];

        var found = await FindAsync(run.Id, _namespace);

        Assert.That(found, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found!.Id, Is.EqualTo(run.Id));
            Assert.That(found.Namespaces, Is.EqualTo(new[] { _namespace }));
            Assert.That(found.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(found.UpdatedAt, Is.Null);
            Assert.That(found.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(found.Steps.Select(s => s.RunId), Is.All.EqualTo(run.Id));
            Assert.That(found.Steps.Select(s => s.RunParams), Is.All.EqualTo("{\"iterations\":0}"));
        }
    }

    [Test]
    public async Task FindAsync_WhenRunIsInAnotherNamespaceOrMissing_ReturnsNull()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await FindAsync(run.Id, TestData.NewNamespace()), Is.Null);
            Assert.That(await FindAsync(Guid.NewGuid(), _namespace), Is.Null);
        }
    }

    [Test]
    public async Task FindAsync_WhenTheRunChanges_ReadsItsCurrentState()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];
        await using var db = Database.CreateContext();
        var readModel = CreateReadModel(db);
        var before = await readModel.FindAsync(run.Id, _namespace, CancellationToken.None);

        await SetStatusAsync(run.Id, OrchRunStatus.Failed);
        var after = await readModel.FindAsync(run.Id, _namespace, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before!.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(after!.Status, Is.EqualTo(OrchRunStatus.Failed), "no stale copy is served from the same context or kept connection");
            Assert.That(db.ChangeTracker.Entries(), Is.Empty, "nothing is tracked");
        }
    }

    [Test]
    public async Task ListAsync_WhenNoFilter_ReturnsTheNamespacesRunsNewestFirstWithTotal()
    {
        var runs = await SeedAsync(_namespace, [TestData.Start, TestData.Start.AddMinutes(2), TestData.Start.AddMinutes(1)]);
        await SeedAsync(TestData.NewNamespace(), [TestData.Start.AddMinutes(5)]);

        var page = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], null, null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That(page.Items.Select(r => r.Id), Is.EqualTo(new[] { runs[1].Id, runs[2].Id, runs[0].Id }));
            Assert.That(page.Items.Select(r => r.Steps.Count), Is.All.EqualTo(1), "steps are loaded");
            Assert.That(page.Items.Select(r => r.Namespaces.Single()), Is.All.EqualTo(_namespace));
        }
    }

    [Test]
    public async Task ListAsync_WhenCreationTimesAreEqual_OrdersByIdDescending()
    {
        var runs = await SeedAsync(_namespace, [TestData.Start, TestData.Start, TestData.Start, TestData.Start]);

        var page = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], null, null));

        Assert.That(
            page.Items.Select(r => r.Id),
            Is.EqualTo(runs.Select(r => r.Id).OrderByDescending(id => id.ToString("D").ToUpperInvariant(), StringComparer.Ordinal)));
    }

    [Test]
    public async Task ListAsync_WhenPaged_ReturnsTheWindowAndTheWholeTotal()
    {
        var runs = await SeedAsync(_namespace, Enumerable.Range(0, 5).Select(i => TestData.Start.AddMinutes(i)).ToList());

        var middle = await ListAsync(new OrchRunListFilter(_namespace, 1, 2, [], null, null));
        var beyond = await ListAsync(new OrchRunListFilter(_namespace, 5, 2, [], null, null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(middle.Items.Select(r => r.Id), Is.EqualTo(new[] { runs[3].Id, runs[2].Id }));
            Assert.That(middle.Total, Is.EqualTo(5));
            Assert.That(beyond.Items, Is.Empty);
            Assert.That(beyond.Total, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task ListAsync_WhenStatusesGiven_ReturnsOnlyThoseAndCountsOnlyThose()
    {
        var runs = await SeedAsync(_namespace, Enumerable.Range(0, 4).Select(i => TestData.Start.AddMinutes(i)).ToList());
        await SetStatusAsync(runs[1].Id, OrchRunStatus.Running);
        await SetStatusAsync(runs[2].Id, OrchRunStatus.Completed);
        await SetStatusAsync(runs[3].Id, OrchRunStatus.Failed);

        var page = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [OrchRunStatus.Queued, OrchRunStatus.Completed], null, null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items.Select(r => r.Id), Is.EqualTo(new[] { runs[2].Id, runs[0].Id }));
            Assert.That(page.Total, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ListAsync_WhenDateBoundsGiven_AppliesThemInclusively()
    {
        var runs = await SeedAsync(_namespace, Enumerable.Range(0, 4).Select(i => TestData.Start.AddDays(i)).ToList());

        var page = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], TestData.Start.AddDays(1), TestData.Start.AddDays(2)));
        var fromOnly = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], TestData.Start.AddDays(3), null));
        var untilOnly = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], null, TestData.Start.AddTicks(-1)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Items.Select(r => r.Id), Is.EqualTo(new[] { runs[2].Id, runs[1].Id }));
            Assert.That(page.Total, Is.EqualTo(2));
            Assert.That(fromOnly.Items.Select(r => r.Id), Is.EqualTo(new[] { runs[3].Id }));
            Assert.That(untilOnly.Items, Is.Empty);
        }
    }

    [Test]
    public async Task ListAsync_WhenBoundsAreInAnotherOffset_ComparesInstants()
    {
        var run = (await SeedAsync(_namespace, [TestData.Start]))[0];
        var sameInstantElsewhere = TestData.Start.ToOffset(TimeSpan.FromHours(5));

        var page = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], sameInstantElsewhere, sameInstantElsewhere));

        Assert.That(page.Items.Select(r => r.Id), Is.EqualTo(new[] { run.Id }));
    }

    [Test]
    public async Task ListAsync_TotalWithoutDates_FollowsInsertsStatusChangesAndDeletes()
    {
        var runs = await SeedAsync(_namespace, [TestData.Start, TestData.Start.AddMinutes(1), TestData.Start.AddMinutes(2), TestData.Start.AddMinutes(3)]);
        await SetStatusAsync(runs[0].Id, OrchRunStatus.Completed);
        await SetStatusAsync(runs[1].Id, OrchRunStatus.Failed);
        await using (var db = Database.CreateContext())
        {
            await db.OrchRuns.Where(r => r.Id == runs[2].Id).ExecuteDeleteAsync();
        }

        var all = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [], null, null));
        var finished = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [OrchRunStatus.Completed, OrchRunStatus.Failed], null, null));
        var queued = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [OrchRunStatus.Queued], null, null));
        var counted = await ListAsync(new OrchRunListFilter(_namespace, 0, 20, [OrchRunStatus.Queued], TestData.Start.AddDays(-1), null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Total, Is.EqualTo(3).And.EqualTo(all.Items.Count));
            Assert.That(finished.Total, Is.EqualTo(2));
            Assert.That(queued.Total, Is.EqualTo(1));
            Assert.That(counted.Total, Is.EqualTo(1), "with a date bound the rows are counted");
        }
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

    private async Task<OrchRunDto?> FindAsync(Guid id, string @namespace)
    {
        await using var db = Database.CreateContext();
        return await CreateReadModel(db).FindAsync(id, @namespace, CancellationToken.None);
    }

    private async Task<PagedResult<OrchRunDto>> ListAsync(OrchRunListFilter filter)
    {
        await using var db = Database.CreateContext();
        return await CreateReadModel(db).ListAsync(filter, CancellationToken.None);
    }

    private IOrchRunReadModel CreateReadModel(OrchRunDbContext db) =>
        _kind == ReadModelKind.Sqlite ? new SqliteOrchRunReadModel(_pool!) : new OrchRunReadModel(db);

    private async Task SetStatusAsync(Guid runId, OrchRunStatus status)
    {
        await using var db = Database.CreateContext();
        await db.OrchRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status));
    }
}
