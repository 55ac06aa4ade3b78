using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Worker;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Retention;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Retention;

/// <summary>Retention:FinishedRunDays (30 by default) against the real database, on the fake clock.</summary>
public sealed class FinishedRunPurgerTests
{
    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task RunOnceAsync_DeletesFinishedRunsPastTheirRetentionWithStepsAndLogs_AndKeepsTheRest()
    {
        var start = _db.Clock.GetUtcNow();
        var old = await FailedRunAsync(finishedAt: start);
        var recent = await FailedRunAsync(finishedAt: start.AddDays(10));
        var queued = await _db.AddQueuedRunAsync(start);
        await AddLinesAsync(old.Id, 12_001);
        await AddLinesAsync(recent.Id, 10);
        _db.Clock.SetUtcNow(start.AddDays(35));

        await ActivatorUtilities.CreateInstance<RetentionService>(_db.Services).RunOnceAsync(CancellationToken.None);

        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.OrchRuns.Select(r => r.Id).ToListAsync(), Is.EquivalentTo(new[] { recent.Id, queued.Id }));
            Assert.That(await db.RunLogLines.CountAsync(l => l.RunId == old.Id), Is.Zero);
            Assert.That(await db.Set<OrchRunStep>().CountAsync(s => s.RunId == old.Id), Is.Zero);
            Assert.That(await db.RunLogLines.CountAsync(l => l.RunId == recent.Id), Is.EqualTo(10));
        }
    }

    [Test]
    public async Task DeleteAsync_WhenARunHasManyLines_DeletesThemInStatementsOfAtMostABatch()
    {
        var run = await FailedRunAsync(_db.Clock.GetUtcNow());
        await AddLinesAsync(run.Id, 12_001);
        var deletes = new DeleteCounter();
        await using var db = new SqliteOrchRunDbContext(new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_db.Folder, "orchrun.db")}")
            .AddInterceptors(deletes)
            .Options);

        var deleted = await new RunLogDeleter(db, new RetentionOptions { LogLinesPerBatch = 5000 }).DeleteAsync(run.Id, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.EqualTo(12_001));
            Assert.That(await db.RunLogLines.CountAsync(l => l.RunId == run.Id), Is.Zero);
            Assert.That(deletes.Affected, Is.EqualTo(new[] { 5000, 5000, 2001 }), "one statement, one short transaction, per batch");
        }
    }

    [TestCase(true, TestName = "SaveChangesAsync_WhenAFinishedRunIsRemoved_DeletesItsLogInBatchesFirst")]
    [TestCase(false, TestName = "SaveChangesAsync_WhenAQueuedRunIsRemoved_DeletesItWithItsLogInOneStatement")]
    public async Task SaveChangesAsync_WhenARunIsRemoved_BatchesTheLogOnlyOfAFinishedRun(bool finished)
    {
        var run = finished ? await FailedRunAsync(_db.Clock.GetUtcNow()) : await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await AddLinesAsync(run.Id, 12_001);
        var deletes = new DeleteCounter();
        await using var db = new SqliteOrchRunDbContext(new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_db.Folder, "orchrun.db")}")
            .AddInterceptors(deletes)
            .Options);
        var runs = new Persistence.Repositories.OrchRunRepository(db, new RunParamsLimit(RunParamsLimit.Default), new RunLogDeleter(db, new RetentionOptions { LogLinesPerBatch = 5000 }));

        runs.Remove((await runs.FindAsync(run.Id, WorkerTestDatabase.Namespace, CancellationToken.None))!);
        await runs.SaveChangesAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.OrchRuns.CountAsync(r => r.Id == run.Id), Is.Zero);
            Assert.That(await db.RunLogLines.CountAsync(l => l.RunId == run.Id), Is.Zero);
            // The batches are the DELETE statements of their own; the run's delete is SaveChanges' own batch.
            Assert.That(deletes.Affected, Is.EqualTo(finished ? new[] { 5000, 5000, 2001 } : Array.Empty<int>()));
        }
    }

    [Test]
    public async Task RunOnceAsync_WhileAnotherNodeHoldsTheRetentionLease_LeavesThePurgeToIt_UntilTheLeaseLapses()
    {
        var start = _db.Clock.GetUtcNow();
        var options = new RetentionOptions();
        var first = new RetentionService(_db.Services.GetRequiredService<IServiceScopeFactory>(), _db.Clock, options, new WorkerNode("node-a"), NullLogger<RetentionService>.Instance);
        var second = new RetentionService(_db.Services.GetRequiredService<IServiceScopeFactory>(), _db.Clock, options, new WorkerNode("node-b"), NullLogger<RetentionService>.Instance);
        await first.RunOnceAsync(CancellationToken.None);
        var old = await FailedRunAsync(finishedAt: start);
        _db.Clock.SetUtcNow(start.AddDays(35));
        var leaseTakenAt = _db.Clock.GetUtcNow();
        await first.RunOnceAsync(CancellationToken.None);
        var other = await FailedRunAsync(finishedAt: start);

        await second.RunOnceAsync(CancellationToken.None);
        var keptWhileHeld = await _db.FindAsync(other.Id);
        _db.Clock.SetUtcNow(leaseTakenAt + TimeSpan.FromSeconds(options.IntervalSeconds + 1));
        await second.RunOnceAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _db.FindAsync(old.Id), Is.Null, "the lease holder purged");
            Assert.That(keptWhileHeld, Is.Not.Null, "another node does not purge while the lease is held");
            Assert.That(await _db.FindAsync(other.Id), Is.Null, "once the holder stopped renewing, the other node took over");
        }
    }

    private async Task<OrchRun> FailedRunAsync(DateTimeOffset finishedAt)
    {
        var run = await _db.AddQueuedRunAsync(finishedAt.AddMinutes(-1));
        await _db.ChangeAsync(run.Id, r =>
        {
            r.Claim("node-it", finishedAt.AddMinutes(1), finishedAt);
            var step = r.StartStep(r.Steps[0].Id, finishedAt);
            r.FailStep(step.Id, "broken", finishedAt);
        });
        return run;
    }

    private async Task AddLinesAsync(Guid runId, int count)
    {
        await using var scope = _db.Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        var now = _db.Clock.GetUtcNow();
        db.RunLogLines.AddRange(Enumerable.Range(1, count).Select(i => new RunLogLine(runId, i, now, RunLogLevel.Info, $"line {i}", false)));
        await db.SaveChangesAsync();
    }

    /// <summary>The rows each DELETE statement removed.</summary>
    private sealed class DeleteCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public List<int> Affected { get; } = [];

        public override ValueTask<int> NonQueryExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))
            {
                Affected.Add(result);
            }

            return ValueTask.FromResult(result);
        }
    }
}
