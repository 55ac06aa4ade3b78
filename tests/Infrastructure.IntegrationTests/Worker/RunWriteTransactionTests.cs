using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>
/// How many write transactions a run costs the worker (each one is an fsync behind SQLite's
/// single write lock), and that the merged phases still recover from a crash.
/// </summary>
public sealed class RunWriteTransactionTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ClaimAndExecute_OfAOneStepNoOpRun_CommitsTwoWriteTransactions()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        using var writes = new WriteTransactionCounter(_db.Folder);

        await using (var scope = _db.Scope())
        {
            var executor = scope.ServiceProvider.GetRequiredService<OrchRunExecutor>();
            var claimed = await executor.ClaimNextAsync("node-it", Lease, CancellationToken.None);
            var outcome = await executor.ExecuteAsync(claimed!, CancellationToken.None, CancellationToken.None);
            Assert.That(outcome, Is.EqualTo(RunExecutionOutcome.Completed));
        }

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
    public async Task ClaimNextAsync_WhenTheNodeDiesAfterTheClaimCommitted_TheRunIsRecoveredAndItsStepRunsAgain()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await using (var dying = _db.Scope())
        {
            // Claimed and opened (first step RUNNING), then the node dies before executing it.
            var claimed = await dying.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimNextAsync("node-dead", Lease, CancellationToken.None);
            Assert.That(claimed, Is.Not.Null);
        }

        var opened = (await _db.FindAsync(queued.Id))!;
        _db.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        int recovered;
        await using (var scope = _db.Scope())
        {
            recovered = await scope.ServiceProvider.GetRequiredService<OrchRunRecovery>().RecoverExpiredLeasesAsync(CancellationToken.None);
        }

        var requeued = (await _db.FindAsync(queued.Id))!;
        RunExecutionOutcome outcome;
        await using (var scope = _db.Scope())
        {
            var executor = scope.ServiceProvider.GetRequiredService<OrchRunExecutor>();
            var claimed = await executor.ClaimNextAsync("node-it", Lease, CancellationToken.None);
            outcome = await executor.ExecuteAsync(claimed!, CancellationToken.None, CancellationToken.None);
        }

        var finished = (await _db.FindAsync(queued.Id))!;
        var lines = await _db.LinesAsync(queued.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(opened.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Running));
            Assert.That(recovered, Is.EqualTo(1));
            Assert.That(requeued.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(requeued.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(outcome, Is.EqualTo(RunExecutionOutcome.Completed));
            Assert.That(finished.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(finished.Attempt, Is.EqualTo(2));
            Assert.That(finished.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Count(l => l.Message == "Orch run execution has begun"), Is.EqualTo(2));
            Assert.That(lines.Count(l => l.Message.StartsWith("Resuming orch run on attempt 2", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }
}
