using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

public sealed class OrchRunRecoveryTests
{
    private const int MaxAttempts = 3;

    private FakeTimeProvider _clock = null!;
    private InMemoryRunExecutionStore _store = null!;
    private OrchRunRecovery _recovery = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _store = new InMemoryRunExecutionStore();
        _recovery = new OrchRunRecovery(_store, _clock, new RunExecutionSettings(MaxAttempts, TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenALeaseExpiredBeforeTheLastAttempt_RequeuesTheRunWithAWarning()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 4);
        _clock.Advance(TestRuns.Lease + TimeSpan.FromSeconds(1));

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var added = _store.LinesOf(run.Id).Skip(4).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recovered, Is.EqualTo(1));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(stored.NodeId, Is.Null);
            Assert.That(stored.LeaseExpiresAt, Is.Null);
            Assert.That(stored.Attempt, Is.EqualTo(1), "the next claim counts the next attempt");
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Queued), "the step that was running runs again");
            Assert.That(added, Has.Count.EqualTo(1));
            Assert.That(added[0].Sequence, Is.EqualTo(5));
            Assert.That(added[0].Level, Is.EqualTo(RunLogLevel.Warn));
            Assert.That(added[0].Message, Is.EqualTo($"Node node-a stopped renewing its lease; orch run requeued for attempt 2 of 3, orch_run_id: {run.Id}"));
            Assert.That(added[0].IsEnd, Is.False);
        }
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenTheLeaseHasNotExpired_LeavesTheRunAlone()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 0);
        _clock.Advance(TestRuns.Lease - TimeSpan.FromSeconds(1));

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        Assert.That(recovered, Is.Zero);
        Assert.That(_store.Find(run.Id)!.Status, Is.EqualTo(OrchRunStatus.Running));
        Assert.That(_store.Saves, Is.Empty);
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenTheLastAttemptsLeaseExpired_FailsTheRunSayingWhyAndClosesTheLog()
    {
        var run = RunHeldOnAttempt(MaxAttempts, lastLogSequence: 2);
        _clock.Advance(TestRuns.Lease + TimeSpan.FromSeconds(1));

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var added = _store.LinesOf(run.Id).Skip(2).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recovered, Is.EqualTo(1));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(stored.Result, Is.EqualTo("Run abandoned after 3 attempts: worker node node-a stopped renewing its lease."));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[1].StatusMessage, Is.Not.Empty);
            Assert.That(stored.NodeId, Is.Null);
            Assert.That(added.Select(l => l.Level), Is.EqualTo(new[] { RunLogLevel.Error, RunLogLevel.Info, RunLogLevel.Info, RunLogLevel.Info }));
            Assert.That(added[0].Message, Does.StartWith(stored.Result).And.EndWith($"orch_run_id: {run.Id}"));
            Assert.That(added[1].Message, Does.StartWith("Orchestrator test_orch Execution Duration in project proj_DrZrSNrW is: "));
            Assert.That(added[2].Message, Is.EqualTo($"Updating orch run status to 5 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(added[3].Message, Is.EqualTo("Orch run has ended. Closing up file log stream"));
            Assert.That(added[3].IsEnd, Is.True);
            Assert.That(added.Select(l => l.Sequence), Is.EqualTo(new long[] { 3, 4, 5, 6 }));
        }
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenTheExpiredRunWasAskedToCancel_CancelsIt()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 3);
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));
        _clock.Advance(TestRuns.Lease + TimeSpan.FromSeconds(1));

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var added = _store.LinesOf(run.Id).Skip(3).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recovered, Is.EqualTo(1));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(added[0].Level, Is.EqualTo(RunLogLevel.Warn));
            Assert.That(added[0].Message, Is.EqualTo($"Orch run cancelled on request, orch_run_id: {run.Id}"));
            Assert.That(added[^2].Message, Is.EqualTo($"Updating orch run status to 6 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(added[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenAnotherWorkerRecoveredItFirst_CountsNothingAndDoesNotThrow()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 0);
        _clock.Advance(TestRuns.Lease + TimeSpan.FromSeconds(1));

        // The other worker's save came first: this one's save finds the run changed.
        _store.OnSave = _ => throw new ConcurrencyConflictException("recovered by another worker");

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        Assert.That(recovered, Is.Zero);
        Assert.That(_store.LinesOf(run.Id), Is.Empty, "only the winner writes its warning");
    }

    [Test]
    public async Task RecoverExpiredLeasesAsync_WhenTheRunIsDeletedMeanwhile_CountsNothingAndDoesNotThrow()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 0);
        _clock.Advance(TestRuns.Lease + TimeSpan.FromSeconds(1));
        _store.OnSave = saving => throw new RunLostException(saving.Id);

        var recovered = await _recovery.RecoverExpiredLeasesAsync(CancellationToken.None);

        Assert.That(recovered, Is.Zero);
        Assert.That(_store.Find(run.Id), Is.Not.Null);
    }

    [Test]
    public async Task FinishUnclaimedCancelsAsync_WhenARunWasCancelledWhileQueued_CancelsItAndEndsItsLog()
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), ("first", Guid.NewGuid()), ("second", Guid.NewGuid()));
        run.RequestCancel(_clock.GetUtcNow());
        _store.Put(run);
        var held = RunHeldOnAttempt(1, lastLogSequence: 0);
        _store.Change(held.Id, r => r.RequestCancel(_clock.GetUtcNow()));

        var finished = await _recovery.FinishUnclaimedCancelsAsync(CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finished, Is.EqualTo(1));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(stored.Attempt, Is.Zero);
            Assert.That(stored.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[]
            {
                $"Orch run cancelled before it started, orch_run_id: {run.Id}",
                $"Orchestrator test_orch Execution Duration in project proj_DrZrSNrW is: 0.00, orch_run_id: {run.Id}",
                $"Updating orch run status to 6 in OrchExecutionService, orch_run_id: {run.Id}",
                "Orch run has ended. Closing up file log stream",
            }));
            Assert.That(lines.Select(l => l.IsEnd), Is.EqualTo(new[] { false, false, false, true }));
            Assert.That(lines[0].Sequence, Is.EqualTo(1), "the first line carries orchRunId");
            Assert.That(_store.Find(held.Id)!.Status, Is.EqualTo(OrchRunStatus.RequestCancel), "a held run is its node's to finish");
        }
    }

    [Test]
    public async Task FinishUnclaimedCancelsAsync_WhenACancelledRunIsHeldByANode_LeavesItToThatNode()
    {
        var run = RunHeldOnAttempt(1, lastLogSequence: 0);
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));

        var finished = await _recovery.FinishUnclaimedCancelsAsync(CancellationToken.None);

        Assert.That(finished, Is.Zero);
        Assert.That(_store.Find(run.Id)!.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        Assert.That(_store.Saves, Is.Empty);
    }

    [Test]
    public async Task FinishUnclaimedCancelsAsync_WhenAWorkerClaimsTheRunFirst_CountsNothingAndDoesNotThrow()
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), ("only", Guid.NewGuid()));
        run.RequestCancel(_clock.GetUtcNow());
        _store.Put(run);
        _store.OnSave = saving =>
        {
            _store.OnSave = null;
            _store.Delete(saving.Id);
        };

        var finished = await _recovery.FinishUnclaimedCancelsAsync(CancellationToken.None);

        Assert.That(finished, Is.Zero);
        Assert.That(_store.LinesOf(run.Id), Is.Empty);
    }

    /// <summary>
    /// A two-step run held by node A on <paramref name="attempt"/>, its first step done and its
    /// second running, with <paramref name="lastLogSequence"/> lines written so far.
    /// </summary>
    private OrchRun RunHeldOnAttempt(int attempt, long lastLogSequence)
    {
        var now = _clock.GetUtcNow();
        var run = TestRuns.Queued(now, ("first", Guid.NewGuid()), ("second", Guid.NewGuid()));
        for (var i = 1; i < attempt; i++)
        {
            run.Claim(TestRuns.NodeA, now + TestRuns.Lease, now);
            run.RecoverFromLostLease(MaxAttempts, now);
        }

        TestRuns.Claim(run, TestRuns.NodeA, now);
        run.CompleteStep(run.StartStep(run.Steps[0].Id, now).Id, now);
        run.StartStep(run.Steps[1].Id, now);
        _store.Put(run);
        _store.PutLines(Enumerable.Range(1, (int)lastLogSequence).Select(i => new RunLogLine(run.Id, i, now, RunLogLevel.Info, $"line {i}", false)));
        return _store.Find(run.Id)!;
    }
}
