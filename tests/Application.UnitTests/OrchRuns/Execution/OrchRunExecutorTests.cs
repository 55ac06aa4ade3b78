using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

public sealed class OrchRunExecutorTests
{
    // Only a safety net against a hung test; nothing is asserted about time.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private FakeTimeProvider _clock = null!;
    private InMemoryRunExecutionStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _store = new InMemoryRunExecutionStore();
    }

    [Test]
    public async Task ExecuteAsync_OfAClaimedOneStepRun_SavesTwiceWithTheSeedsLinesInOrder()
    {
        var connector = ScriptedConnector.Logging("test_connector");
        var run = QueuedRun(("test_connector", connector.ComponentId));
        var executor = Executor(connector);

        var claimed = (await executor.ClaimAsync()).Single();
        var outcome = await executor.ExecuteAsync(claimed);

        var lines = _store.LinesOf(run.Id);
        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(_store.Saves.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStatus.Running, OrchRunStatus.Completed }), "claim with start, then end with finish");
            Assert.That(_store.Appends, Is.Empty);
            Assert.That(stored.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Select(l => l.Message).Take(3), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                $"Running Orchestrator: test_orch in Node {TestRuns.NodeA}, orch_run_id: {run.Id}",
                $"Node {TestRuns.NodeA} Executing Step: Connector:test_connector, orch_run_id: {run.Id}",
            }));
            Assert.That(lines[^2].Message, Is.EqualTo($"Updating orch run status to 4 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(lines.Select(l => l.IsEnd), Is.EqualTo(Enumerable.Repeat(false, lines.Count - 1).Append(true)));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenEveryStepSucceeds_CompletesWithTheSeedsLogLinesInOrder()
    {
        var connector = new ScriptedConnector("test_connector", (context, _) =>
        {
            context.Log.Info("Test Connector, orch_run_id: " + context.RunId);
            _clock.Advance(TimeSpan.FromMilliseconds(1500));
            context.Log.Info("TestConnector_v1: Dummy loop has ended");
            return Task.CompletedTask;
        });
        var run = QueuedRun(("test_connector", connector.ComponentId));

        var outcome = await Executor(connector).ClaimAndExecuteAsync();

        var id = run.Id;
        var lines = _store.LinesOf(id);
        var stored = _store.Find(id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(stored.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(stored.Steps.Single().StatusMessage, Is.Empty);
            Assert.That(stored.Result, Is.Empty);
            Assert.That(stored.NodeId, Is.Null);
            Assert.That(stored.LeaseExpiresAt, Is.Null);
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                $"Running Orchestrator: test_orch in Node node-a, orch_run_id: {id}",
                $"Node node-a Executing Step: Connector:test_connector, orch_run_id: {id}",
                $"Test Connector, orch_run_id: {id}",
                "TestConnector_v1: Dummy loop has ended",
                "[\"Step: Connector:test_connector took ->1.50\"]",
                $"Orchestrator test_orch Execution Duration in project proj_DrZrSNrW is: 1.50, orch_run_id: {id}",
                $"Updating orch run status to 4 in OrchExecutionService, orch_run_id: {id}",
                "Orch run has ended. Closing up file log stream",
            }));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, 9).Select(i => (long)i)));
            Assert.That(lines.Select(l => l.Level), Is.All.EqualTo(RunLogLevel.Info));
            Assert.That(lines.Select(l => l.IsEnd), Is.EqualTo(Enumerable.Repeat(false, 8).Append(true)));
            Assert.That(lines.Select(l => l.Timestamp), Is.Ordered);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunCompletes_SavesTheFinalStatusTogetherWithTheEndLine()
    {
        var connector = ScriptedConnector.Logging("step");
        QueuedRun(("step", connector.ComponentId));

        await Executor(connector).ClaimAndExecuteAsync();

        var finalSave = _store.Saves.Single(s => s.Status == OrchRunStatus.Completed);
        Assert.That(finalSave.Lines.Last().IsEnd, Is.True);
        Assert.That(_store.Saves.TakeWhile(s => s != finalSave).SelectMany(s => s.Lines).Any(l => l.IsEnd), Is.False);
    }

    [Test]
    public async Task ExecuteAsync_WhenTheLastStepCompletes_SavesItsEndTogetherWithTheFinish()
    {
        var first = ScriptedConnector.Logging("first");
        var last = ScriptedConnector.Logging("last");
        var run = QueuedRun(("first", first.ComponentId), ("last", last.ComponentId));
        var statusesAtEachSave = new List<OrchRunStepStatus[]>();
        _store.OnSave = saved => statusesAtEachSave.Add(saved.Steps.Select(s => s.Status).ToArray());

        await Executor(first, last).ClaimAndExecuteAsync();

        // The claim with first's start; first's end; last's start; then last's end with the run's finish.
        Assert.That(statusesAtEachSave, Is.EqualTo(new[]
        {
            new[] { OrchRunStepStatus.Running, OrchRunStepStatus.Queued },
            new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Queued },
            new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Running },
            new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Completed },
        }));
        Assert.That(_store.Find(run.Id)!.Status, Is.EqualTo(OrchRunStatus.Completed));
    }

    [Test]
    public async Task ExecuteAsync_WhenStepsSucceed_RunsThemInSequenceOrderWithOneExecutingLineEach()
    {
        var order = new List<string>();
        var first = new ScriptedConnector("first", (_, _) => Record(order, "first"));
        var second = new ScriptedConnector("second", (_, _) => Record(order, "second"));
        var third = new ScriptedConnector("third", (_, _) => Record(order, "third"));
        var run = QueuedRun(("first", first.ComponentId), ("second", second.ComponentId), ("third", third.ComponentId));

        var outcome = await Executor(first, second, third).ClaimAndExecuteAsync();

        var messages = _store.LinesOf(run.Id).Select(l => l.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(order, Is.EqualTo(new[] { "first", "second", "third" }));
            Assert.That(messages.Count(m => m.Contains("Executing Step", StringComparison.Ordinal)), Is.EqualTo(3));
            Assert.That(messages.Count(m => m.Contains(" took ->", StringComparison.Ordinal)), Is.EqualTo(3));
            Assert.That(_store.Find(run.Id)!.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Completed));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAStepsComponentIsUnknown_FailsThatStepSkipsTheRestAndFailsTheRun()
    {
        var unknown = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var later = ScriptedConnector.Logging("later");
        var run = QueuedRun(("mystery", unknown), ("later", later.ComponentId));

        var outcome = await Executor(later).ClaimAndExecuteAsync();

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Does.Contain("No connector is registered for component 11111111-2222-3333-4444-555555555555"));
            Assert.That(stored.Steps[0].StatusMessage, Does.Contain("mystery"));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Skipped));
            Assert.That(stored.Steps[1].StatusMessage, Does.Contain("mystery"));
            Assert.That(stored.Result, Does.Contain("mystery").And.Contain("No connector is registered"));
            Assert.That(later.Executions, Is.Zero);
            Assert.That(lines.Any(l => l.Level == RunLogLevel.Error && l.Message.Contains("11111111-2222-3333-4444-555555555555", StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^2].Message, Is.EqualTo($"Updating orch run status to 5 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAConnectorThrows_FailsTheStepAndTheRunWithAMessageInsteadOfTheException()
    {
        var connector = new Mock<IConnector>();
        var componentId = Guid.NewGuid();
        connector.SetupGet(c => c.ComponentId).Returns(componentId);
        connector.SetupGet(c => c.Name).Returns("broken");
        connector.Setup(c => c.ExecuteAsync(It.IsAny<ConnectorContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("the disk is full"));
        var after = ScriptedConnector.Logging("after");
        var run = QueuedRun(("broken", componentId), ("after", after.ComponentId));

        var outcome = await Executor(connector.Object, after).ClaimAndExecuteAsync();

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Is.EqualTo($"Connector broken stopped with an internal error; rerun the run, and if it fails again give an administrator its orch_run_id {run.Id}."));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Skipped));
            Assert.That(stored.Result, Does.Not.Contain("the disk is full").And.Not.Contain("InvalidOperationException"));
            Assert.That(after.Executions, Is.Zero);
            Assert.That(lines.Single(l => l.Level == RunLogLevel.Error).Message, Does.Contain("Connector:broken failed: Connector broken stopped with an internal error").And.Not.Contain("the disk is full"));
            Assert.That(lines.Any(l => l.Message.StartsWith("[\"Step: Connector:broken took ->", StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^2].Message, Does.StartWith("Updating orch run status to 5 "));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAConnectorFailsOnPurpose_UsesItsMessageAsTheStatusMessage()
    {
        var connector = new ScriptedConnector("picky", (_, _) => throw new ConnectorFailedException("Parameter 'iterations' must be a whole number from 0 to 100000."));
        var run = QueuedRun(("picky", connector.ComponentId));

        var outcome = await Executor(connector).ClaimAndExecuteAsync();

        var stored = _store.Find(run.Id)!;
        Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
        Assert.That(stored.Steps[0].StatusMessage, Is.EqualTo("Parameter 'iterations' must be a whole number from 0 to 100000."));
    }

    [Test]
    public async Task ExecuteAsync_WhenInterruptedAndTheRunIsRequestCancel_CancelsTheRunAndItsUnfinishedSteps()
    {
        var blocking = new BlockingConnector("slow");
        var next = ScriptedConnector.Logging("next");
        var run = QueuedRun(("slow", blocking.ComponentId), ("next", next.ComponentId));
        using var interrupt = new CancellationTokenSource();

        var execution = Executor(blocking, next).ClaimAndExecuteAsync(interrupt.Token);
        await blocking.Started.WaitAsync(Hang);
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(blocking.SawCancellation, Is.True);
            Assert.That(next.Executions, Is.Zero);
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(stored.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(stored.NodeId, Is.Null);
            Assert.That(lines.Any(l => l.Message == "slow is waiting"), Is.True, "the connector's lines are kept");
            Assert.That(lines.Single(l => l.Level == RunLogLevel.Warn).Message, Is.EqualTo($"Orch run cancelled on request while step Connector:slow was running, orch_run_id: {run.Id}"));
            Assert.That(lines[^2].Message, Is.EqualTo($"Updating orch run status to 6 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(lines[^1].IsEnd, Is.True);
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelIsRequestedBetweenABatchedClaimAndTheStart_CancelsWithoutRunningAnyStep()
    {
        var connector = ScriptedConnector.Logging("step");
        var run = QueuedRun(("step", connector.ComponentId));
        var executor = Executor(connector);
        var claimed = (await executor.ClaimAsync(2)).Single();
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));

        // A run claimed in a batch is loaded again before it starts: the cancel is seen there.
        var outcome = await executor.ExecuteAsync(claimed);

        AssertCancelledBeforeAnyStep(outcome, connector, run.Id);
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelIsRequestedBetweenTheClaimAndTheStart_CancelsOnTheInterruptWithoutRunningAnyStep()
    {
        var connector = ScriptedConnector.Logging("step");
        var run = QueuedRun(("step", connector.ComponentId));
        var executor = Executor(connector);
        var claimed = (await executor.ClaimAsync()).Single();
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));

        // The worker's cancel signal (or lease renewal) interrupts the run before its first step.
        using var interrupt = new CancellationTokenSource();
        await interrupt.CancelAsync();
        var outcome = await executor.ExecuteAsync(claimed, interrupt.Token);

        AssertCancelledBeforeAnyStep(outcome, connector, run.Id);
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunIsDeletedBetweenABatchedClaimAndTheStart_AbandonsItWithoutSavingMore()
    {
        var connector = ScriptedConnector.Logging("step");
        var run = QueuedRun(("step", connector.ComponentId));
        var executor = Executor(connector);
        var claimed = (await executor.ClaimAsync(2)).Single();
        _store.Delete(run.Id);

        var outcome = await executor.ExecuteAsync(claimed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(connector.Executions, Is.Zero);
            Assert.That(_store.Saves, Has.Count.EqualTo(1), "only the claim was saved");
            Assert.That(_store.Appends, Is.Empty);
            Assert.That(_store.LinesOf(run.Id), Is.Empty);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunIsDeletedWhileAStepRuns_AbandonsItAndSavesNothingMore()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(("slow", blocking.ComponentId));
        using var interrupt = new CancellationTokenSource();

        var execution = Executor(blocking).ClaimAndExecuteAsync(interrupt.Token);
        await blocking.Started.WaitAsync(Hang);
        var savesBeforeDelete = _store.Saves.Count;
        _store.Delete(run.Id);
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(blocking.SawCancellation, Is.True);
            Assert.That(_store.Saves, Has.Count.EqualTo(savesBeforeDelete));
            Assert.That(_store.Appends, Is.Empty);
            Assert.That(_store.Find(run.Id), Is.Null);
            Assert.That(_store.LinesOf(run.Id), Is.Empty);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunIsDeletedAndAStepFinishesBeforeTheInterrupt_AbandonsIt()
    {
        OrchRun run = null!;
        var connector = new ScriptedConnector("step", (_, _) =>
        {
            _store.Delete(run.Id);
            return Task.CompletedTask;
        });
        run = QueuedRun(("step", connector.ComponentId));

        var outcome = await Executor(connector).ClaimAndExecuteAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(_store.Find(run.Id), Is.Null);
            Assert.That(_store.LinesOf(run.Id), Is.Empty);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheStoreSaysTheRunIsLostOnSave_AbandonsItWithoutError()
    {
        var connector = ScriptedConnector.Logging("step", "working");
        var run = QueuedRun(("step", connector.ComponentId));
        var saves = 0;
        _store.OnSave = _ =>
        {
            // The first save (the claim, with the step's start) goes through; the run is deleted before the next.
            if (++saves == 2)
            {
                _store.Delete(run.Id);
                throw new RunLostException(run.Id);
            }
        };

        var outcome = await Executor(connector).ClaimAndExecuteAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(saves, Is.EqualTo(2), "nothing is saved after the run was found lost");
            Assert.That(_store.Find(run.Id), Is.Null);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAFlushFindsTheRunLost_StopsTheConnectorAndAbandonsTheRun()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(("slow", blocking.ComponentId));

        var execution = Executor(blocking).ClaimAndExecuteAsync();
        await blocking.Started.WaitAsync(Hang);
        var savesBeforeDelete = _store.Saves.Count;
        _store.Delete(run.Id);

        // One flush interval: the log's timer tries to write the connector's line.
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var outcome = await execution.WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(blocking.SawCancellation, Is.True);
            Assert.That(_store.Saves, Has.Count.EqualTo(savesBeforeDelete));
            Assert.That(_store.LinesOf(run.Id), Is.Empty);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAConnectorRunsPastTheFlushInterval_AppendsItsLinesUnderTheClaim()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(("slow", blocking.ComponentId));

        var execution = Executor(blocking).ClaimAndExecuteAsync();
        await blocking.Started.WaitAsync(Hang);
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        var appendsBeforeTheInterval = _store.Appends.Count;

        // The log's timer fires on the clock: the flush happens inside Advance, no real time passes.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var appendedWhileRunning = _store.LinesOf(run.Id).Select(l => l.Message).ToList();
        blocking.Finish();
        var outcome = await execution.WaitAsync(Hang);

        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(appendsBeforeTheInterval, Is.Zero, "nothing is written before the flush interval");
            Assert.That(_store.Appends, Has.Count.EqualTo(1));
            Assert.That(appendedWhileRunning, Does.Contain("slow is waiting"));
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Count(l => l.Message == "slow is waiting"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenInterruptedOnShutdown_ReleasesTheRunToTheQueueAndGivesTheAttemptBack()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(("slow", blocking.ComponentId));
        using var interrupt = new CancellationTokenSource();
        using var shuttingDown = new CancellationTokenSource();

        var execution = Executor(blocking).ClaimAndExecuteAsync(interrupt.Token, shuttingDown.Token);
        await blocking.Started.WaitAsync(Hang);
        await shuttingDown.CancelAsync();
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Released));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(stored.Attempt, Is.Zero, "a clean shutdown does not use up an attempt");
            Assert.That(stored.NodeId, Is.Null);
            Assert.That(stored.LeaseExpiresAt, Is.Null);
            Assert.That(stored.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(lines.Single(l => l.Level == RunLogLevel.Warn).Message, Does.StartWith("Node node-a is shutting down;").And.EndWith($"orch_run_id: {run.Id}"));
            Assert.That(lines.Any(l => l.IsEnd), Is.False, "the run is not over");
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenInterruptedForNoReasonTheDatabaseShows_LeavesTheRunToLeaseRecovery()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(("slow", blocking.ComponentId));
        using var interrupt = new CancellationTokenSource();

        var execution = Executor(blocking).ClaimAndExecuteAsync(interrupt.Token);
        await blocking.Started.WaitAsync(Hang);
        var saves = _store.Saves.Count;
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(_store.Saves, Has.Count.EqualTo(saves));
            Assert.That(_store.Find(run.Id)!.Status, Is.EqualTo(OrchRunStatus.Running));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenResumedOnASecondAttempt_StartsAtTheFirstUnfinishedStepAndContinuesTheLog()
    {
        var first = ScriptedConnector.Logging("first");
        var second = ScriptedConnector.Logging("second", "second did its work");
        var run = TestRuns.Queued(_clock.GetUtcNow(), ("first", first.ComponentId), ("second", second.ComponentId));

        // Attempt 1 on node A completed the first step and died inside the second; lease
        // recovery put the run back in the queue, where node B claims it.
        var now = _clock.GetUtcNow();
        TestRuns.Claim(run, TestRuns.NodeA, now);
        run.CompleteStep(run.StartStep(run.Steps[0].Id, now).Id, now);
        run.StartStep(run.Steps[1].Id, now);
        run.RecoverFromLostLease(3, now);
        _store.Put(run);
        _store.PutLines(Enumerable.Range(1, 5).Select(i => new RunLogLine(run.Id, i, now, RunLogLevel.Info, $"attempt 1 line {i}", false)));

        var outcome = await Executor(first, second).ClaimAndExecuteAsync(nodeId: TestRuns.NodeB);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        var attempt2 = lines.Skip(5).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(first.Executions, Is.Zero, "a completed step is not run again");
            Assert.That(second.Executions, Is.EqualTo(1));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(stored.Attempt, Is.EqualTo(2));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(attempt2[0].Message, Is.EqualTo("Orch run execution has begun"));
            Assert.That(attempt2[1].Level, Is.EqualTo(RunLogLevel.Warn));
            Assert.That(attempt2[1].Message, Is.EqualTo($"Resuming orch run on attempt 2 of 3 from its first unfinished step, orch_run_id: {run.Id}"));
            Assert.That(attempt2.Any(l => l.Message.StartsWith("Running Orchestrator: test_orch in Node node-b,", StringComparison.Ordinal)), Is.True);
            Assert.That(attempt2.Count(l => l.Message.Contains("Executing Step", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(attempt2.Any(l => l.Message.Contains("Executing Step: Connector:second", StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenABatchedClaimWentStaleBeforeTheStart_AbandonsWithoutWriting()
    {
        var connector = ScriptedConnector.Logging("step");
        var run = QueuedRun(("step", connector.ComponentId));
        var executor = Executor(connector);
        var claimed = (await executor.ClaimAsync(2)).Single();

        // Before this node starts it, its lease expired: recovered and claimed by node B.
        _store.Change(run.Id, r =>
        {
            r.RecoverFromLostLease(3, _clock.GetUtcNow());
            r.Claim(TestRuns.NodeB, _clock.GetUtcNow() + TestRuns.Lease, _clock.GetUtcNow());
        });
        var savesBefore = _store.Saves.Count;

        var outcome = await executor.ExecuteAsync(claimed);

        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(_store.Saves, Has.Count.EqualTo(savesBefore), "nothing saved after the claim");
            Assert.That(_store.Appends, Is.Empty);
            Assert.That(connector.Executions, Is.Zero);
            Assert.That((stored.NodeId, stored.Attempt), Is.EqualTo((TestRuns.NodeB, 2)));
        }
    }

    /// <summary>Cancelled before its step ran: the step CANCELLED, the log opened, warned and ended, with no gap in its sequence.</summary>
    private void AssertCancelledBeforeAnyStep(RunOutcome outcome, ScriptedConnector connector, Guid runId)
    {
        var lines = _store.LinesOf(runId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(connector.Executions, Is.Zero);
            Assert.That(_store.Find(runId)!.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Select(l => l.Message).First(), Is.EqualTo("Orch run execution has begun"));
            Assert.That(lines.Any(l => l.Level == RunLogLevel.Warn && l.Message.StartsWith("Orch run cancelled on request", StringComparison.Ordinal)), Is.True);
            Assert.That(lines[^1].IsEnd, Is.True);
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
        }
    }

    private static Task Record(List<string> order, string name)
    {
        order.Add(name);
        return Task.CompletedTask;
    }

    /// <summary>Stores a QUEUED run, for the executor to claim as the worker does.</summary>
    private OrchRun QueuedRun(params (string Name, Guid ComponentId)[] steps)
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), steps);
        _store.Put(run);
        return run;
    }

    private TestWorker Executor(params IConnector[] connectors) =>
        new(_store, _clock, new RunExecutionSettings(3, TimeSpan.FromMilliseconds(500)), connectors);
}
