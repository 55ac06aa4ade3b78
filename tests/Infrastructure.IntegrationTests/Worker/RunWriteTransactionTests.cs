using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>
/// How many write transactions a run costs the worker (each one is an fsync behind SQLite's
/// single write lock), and that the merged phases still recover from a crash.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RunWriteTransactionTests
{
    private readonly DatabaseProvider _provider;

    public RunWriteTransactionTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync(_provider);

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ClaimAndExecute_OfAOneStepNoOpRun_CommitsTwoWriteTransactions()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        using var writes = new WriteTransactionCounter(_db.ConnectionMarker);

        Assert.That(await _db.ClaimAndExecuteAsync("node-it", Lease), Is.EqualTo(RunOutcome.Completed));

        var lines = await _db.LinesAsync(queued.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writes.Commits, Is.EqualTo(2), "claim with the step's start and the opening lines; the step's end with the finish and the closing lines");
            Assert.That(writes.WritesOutsideTransactions, Is.Zero);
            Assert.That((await _db.FindAsync(queued.Id))!.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines[0].Message, Is.EqualTo("Orch run execution has begun"));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ClaimAndExecute_OfABurstOfOneStepNoOpRuns_CommitsFewerWriteTransactionsThanTwoPerRun()
    {
        const int runs = 8;
        const int slots = 4;
        var t0 = _db.Clock.GetUtcNow().AddMinutes(-1);
        var queued = new List<OrchRun>();
        for (var i = 0; i < runs; i++)
        {
            queued.Add(await _db.AddQueuedRunAsync(t0.AddMilliseconds(i)));
        }

        using var writes = new WriteTransactionCounter(_db.ConnectionMarker);
        var claims = 0;
        while (true)
        {
            IReadOnlyList<ClaimedRun> batch;
            batch = await _db.ClaimAsync("node-it", Lease, slots);

            if (batch.Count == 0)
            {
                break;
            }

            claims++;
            // Each run in its own scope, as the worker executes it.
            var outcomes = await Task.WhenAll(batch.Select(claimed => _db.ExecuteAsync(claimed)));
            Assert.That(outcomes, Is.All.EqualTo(RunOutcome.Completed));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claims, Is.EqualTo(runs / slots));
            Assert.That(writes.Commits, Is.EqualTo((runs / slots) + 1 + runs), "one claim per batch (and the last one, finding the queue empty), then one finish per run");
            Assert.That(writes.Commits, Is.LessThan(2 * runs), "fewer than with one claim per run");
            Assert.That(writes.WritesOutsideTransactions, Is.Zero);
        }

        foreach (var run in queued)
        {
            var lines = await _db.LinesAsync(run.Id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That((await _db.FindAsync(run.Id))!.Status, Is.EqualTo(OrchRunStatus.Completed));
                Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
                Assert.That(lines[0].Message, Is.EqualTo("Orch run execution has begun"));
                Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
                Assert.That(lines[^1].IsEnd, Is.True);
            }
        }
    }

    [Test]
    public async Task ClaimAsync_WhenTheNodeDiesAfterTheClaimCommitted_TheRunsAreRecoveredAndTheirStepsRunAgain()
    {
        var first = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow().AddSeconds(-2));
        var second = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow().AddSeconds(-1));
        // Both claimed and opened (first steps RUNNING), then the node dies before executing them.
        Assert.That(await _db.ClaimAsync("node-dead", Lease, 4), Has.Count.EqualTo(2));

        var opened = new[] { (await _db.FindAsync(first.Id))!, (await _db.FindAsync(second.Id))! };
        _db.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        int recovered;
        await using (var scope = _db.Scope())
        {
            recovered = await scope.ServiceProvider.GetRequiredService<OrchRunRecovery>().RecoverExpiredLeasesAsync(CancellationToken.None);
        }

        var requeued = new[] { (await _db.FindAsync(first.Id))!, (await _db.FindAsync(second.Id))! };
        var reclaimed = await _db.ClaimAsync("node-it", Lease, 4);

        var outcomes = new List<RunOutcome>();
        foreach (var claimed in reclaimed)
        {
            outcomes.Add(await _db.ExecuteAsync(claimed));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened.Select(r => (r.Status, r.Steps.Single().Status)), Is.All.EqualTo((OrchRunStatus.Running, OrchRunStepStatus.Running)));
            Assert.That(recovered, Is.EqualTo(2));
            Assert.That(requeued.Select(r => (r.Status, r.Steps.Single().Status)), Is.All.EqualTo((OrchRunStatus.Queued, OrchRunStepStatus.Queued)));
            Assert.That(reclaimed.Select(c => c.Claim), Is.EqualTo(new[] { new RunClaim(first.Id, "node-it", 2), new RunClaim(second.Id, "node-it", 2) }));
            Assert.That(outcomes, Is.All.EqualTo(RunOutcome.Completed));
        }

        foreach (var run in new[] { first, second })
        {
            var finished = (await _db.FindAsync(run.Id))!;
            var lines = await _db.LinesAsync(run.Id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That((finished.Status, finished.Attempt), Is.EqualTo((OrchRunStatus.Completed, 2)));
                Assert.That(finished.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Completed));
                Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
                Assert.That(lines.Count(l => l.Message == "Orch run execution has begun"), Is.EqualTo(2));
                Assert.That(lines.Count(l => l.Message.StartsWith("Resuming orch run on attempt 2", StringComparison.Ordinal)), Is.EqualTo(1));
                Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
                Assert.That(lines[^1].IsEnd, Is.True);
            }
        }
    }
}
