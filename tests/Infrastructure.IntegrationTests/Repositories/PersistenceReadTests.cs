using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.Repositories;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>The run log reader and the orchestrator repository on a real SQLite file.</summary>
public sealed class PersistenceReadTests
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
    public async Task RunLogReader_WhenRunHasLines_StreamsOnlyItsLinesInSequenceOrder()
    {
        var @namespace = TestData.NewNamespace();
        var orchestrator = TestData.Orchestrator(@namespace);
        var run = TestData.Run(orchestrator, TestData.Start);
        var other = TestData.Run(orchestrator, TestData.Start);
        await using (var db = Database.CreateContext())
        {
            db.OrchRuns.AddRange(run, other);
            db.RunLogLines.AddRange(
                new RunLogLine(run.Id, 3, TestData.Start.AddSeconds(3), RunLogLevel.Info, "third", true),
                new RunLogLine(other.Id, 1, TestData.Start, RunLogLevel.Info, "other run", false),
                new RunLogLine(run.Id, 1, TestData.Start.AddSeconds(1), RunLogLevel.Info, "first", false),
                new RunLogLine(run.Id, 2, TestData.Start.AddSeconds(2), RunLogLevel.Error, "second", false));
            await db.SaveChangesAsync();
        }

        await using var readDb = Database.CreateContext();
        var lines = new List<RunLogLine>();
        await foreach (var line in new RunLogReader(readDb).ReadAsync(run.Id, 0, CancellationToken.None))
        {
            lines.Add(line);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[] { "first", "second", "third" }));
            Assert.That(lines.Select(l => l.IsEnd), Is.EqualTo(new[] { false, false, true }));
            Assert.That(lines[1].Level, Is.EqualTo(RunLogLevel.Error));
            Assert.That(lines[0].Timestamp, Is.EqualTo(TestData.Start.AddSeconds(1)));
        }
    }

    [Test]
    public async Task OrchestratorRepository_WhenFindingInAnotherNamespace_ReturnsNull()
    {
        var orchestrator = TestData.Orchestrator(TestData.NewNamespace());
        await using (var db = Database.CreateContext())
        {
            db.Orchestrators.Add(orchestrator);
            await db.SaveChangesAsync();
        }

        await using var readDb = Database.CreateContext();
        var repository = new OrchestratorRepository(readDb);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await repository.FindAsync(orchestrator.Id, orchestrator.Namespace, CancellationToken.None), Is.Not.Null);
            Assert.That(await repository.FindAsync(orchestrator.Id, TestData.NewNamespace(), CancellationToken.None), Is.Null);
        }
    }

    [Test]
    public async Task OrchestratorRepository_WhenUpdatedWithAKeptAndANewStep_StoresBoth()
    {
        var orchestrator = TestData.Orchestrator(TestData.NewNamespace(), steps: 2);
        var kept = orchestrator.Steps[1].Id;
        var dropped = orchestrator.Steps[0].Id;
        await using (var db = Database.CreateContext())
        {
            db.Orchestrators.Add(orchestrator);
            await db.SaveChangesAsync();
        }

        await using (var db = Database.CreateContext())
        {
            var repository = new OrchestratorRepository(db);
            var tracked = await repository.FindAsync(orchestrator.Id, orchestrator.Namespace, CancellationToken.None);
            tracked!.Update(
                "renamed",
                null,
                null,
                [
                    new OrchestratorStepDefinition(kept, "kept", TestData.TestConnector, 1, StepParameters.Empty),
                    new OrchestratorStepDefinition(null, "added", TestData.TestConnector, 2, StepParameters.FromJson("{\"iterations\":1}", "_params")),
                ],
                TestData.Start.AddHours(1));
            await repository.SaveChangesAsync(CancellationToken.None);
        }

        await using var readDb = Database.CreateContext();
        var stored = await new OrchestratorRepository(readDb).FindAsync(orchestrator.Id, orchestrator.Namespace, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored!.Name, Is.EqualTo("renamed"));
            Assert.That(stored.Steps.Select(s => s.Name), Is.EqualTo(new[] { "kept", "added" }));
            Assert.That(stored.Steps[0].Id, Is.EqualTo(kept));
            Assert.That(stored.Steps.Select(s => s.Id), Does.Not.Contain(dropped));
            Assert.That(stored.Steps[1].Params.Json, Is.EqualTo("{\"iterations\":1}"));
            Assert.That(stored.UpdatedAt, Is.EqualTo(TestData.Start.AddHours(1)));
        }
    }
}
