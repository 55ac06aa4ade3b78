using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>
/// A step's time limit and retries (<see cref="StepExecutionPolicy"/>) as <see cref="StepRunner"/>
/// applies them, driven through the executor as the worker runs it.
/// </summary>
public sealed class StepRunnerTests
{
    // Only a safety net against a hung test; nothing is asserted about real time.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private FakeTimeProvider _clock = null!;
    private RecordingTimeProvider _timers = null!;
    private InMemoryRunExecutionStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _timers = new RecordingTimeProvider(_clock);
        _store = new InMemoryRunExecutionStore();
    }

    [Test]
    public async Task ExecuteAsync_WhenAStepFailsThenSucceedsWithinItsRetries_CompletesAndLogsEachRetry()
    {
        var connector = FailingTimes(2, "Source not ready.");
        var run = QueuedRun(Policy(retries: 2, retryDelayMs: 100), connector);

        var outcome = await DriveAsync(Executor(connector).ClaimAndExecuteAsync());

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        var retries = lines.Where(l => l.Message.Contains("; retry ", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(connector.Executions, Is.EqualTo(3));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(stored.Steps[0].StatusMessage, Is.Empty);
            Assert.That(retries.Select(l => l.Message), Is.EqualTo(new[]
            {
                $"Step: Connector:flaky failed: Source not ready; retry 1 of 2 after 100 ms, orch_run_id: {run.Id}",
                $"Step: Connector:flaky failed: Source not ready; retry 2 of 2 after 200 ms, orch_run_id: {run.Id}",
            }));
            Assert.That(retries.Select(l => l.Level), Is.All.EqualTo(RunLogLevel.Warn));
            Assert.That(lines.Any(l => l.Level == RunLogLevel.Error), Is.False, "a step that succeeded on a retry did not fail");
            Assert.That(lines.Count(l => l.Message.Contains("Executing Step", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
        }
    }

    [Test]
    public async Task ExecuteAsync_BetweenRetries_WaitsTheDelayDoublingEachTime()
    {
        var connector = FailingTimes(3, "nope");
        QueuedRun(Policy(retries: 3, retryDelayMs: 100), connector);

        var execution = Executor(connector).ClaimAndExecuteAsync();
        foreach (var (delayMs, executionsBefore) in new[] { (100, 1), (200, 2), (400, 3) })
        {
            await _timers.WaitForTimerAsync(TimeSpan.FromMilliseconds(delayMs), 1, Hang);
            _clock.Advance(TimeSpan.FromMilliseconds(delayMs - 1));
            Assert.That(connector.Executions, Is.EqualTo(executionsBefore), $"still waiting 1 ms before the {delayMs} ms delay ends");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var outcome = await execution.WaitAsync(Hang);

        Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
        Assert.That(connector.Executions, Is.EqualTo(4));
        Assert.That(_timers.DueTimes.Where(d => d != FlushInterval), Is.EqualTo(new[] { 100, 200, 400 }.Select(ms => TimeSpan.FromMilliseconds(ms))), "the retry delays, besides the log's flush timer");
    }

    [Test]
    public async Task ExecuteAsync_WhenEveryAttemptFails_FailsTheStepWithTheLastReasonAfterTheLastRetry()
    {
        var attempt = 0;
        var connector = new ScriptedConnector("broken", (_, _) => throw new ConnectorFailedException($"attempt {++attempt} failed."));
        var later = ScriptedConnector.Logging("later");
        var run = QueuedRun(Policy(retries: 2, retryDelayMs: 0), connector, later);

        var outcome = await DriveAsync(Executor(connector, later).ClaimAndExecuteAsync());

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(connector.Executions, Is.EqualTo(3), "the first attempt and two retries");
            Assert.That(later.Executions, Is.Zero);
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Is.EqualTo("attempt 3 failed."));
            Assert.That(stored.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Skipped));
            Assert.That(stored.Result, Is.EqualTo("Step 'broken' failed: attempt 3 failed."));
            Assert.That(lines.Where(l => l.Message.Contains("; retry ", StringComparison.Ordinal)).Select(l => l.Message), Is.EqualTo(new[]
            {
                $"Step: Connector:broken failed: attempt 1 failed; retry 1 of 2 after 0 ms, orch_run_id: {run.Id}",
                $"Step: Connector:broken failed: attempt 2 failed; retry 2 of 2 after 0 ms, orch_run_id: {run.Id}",
            }));
            Assert.That(lines.Single(l => l.Level == RunLogLevel.Error).Message, Is.EqualTo($"Step: Connector:broken failed: attempt 3 failed., orch_run_id: {run.Id}"));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenWritingTheLogFailsForAMoment_KeepsTheLinesAndWritesThemLaterWithoutGaps()
    {
        var attempt = 0;
        var connector = new ScriptedConnector("flaky", (_, _) => ++attempt == 1 ? throw new ConnectorFailedException("not yet.") : Task.CompletedTask);
        var run = QueuedRun(Policy(retries: 1, retryDelayMs: 0), connector);
        var appends = 0;
        _store.OnAppend = _ =>
        {
            if (++appends == 1)
            {
                throw new IOException("database is locked");
            }
        };

        var outcome = await DriveAsync(Executor(connector).ClaimAndExecuteAsync());

        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(appends, Is.GreaterThanOrEqualTo(1));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Select(l => l.Message), Has.Some.Contains("; retry 1 of 1"));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenRetriesIsZero_FailsOnTheFirstFailureWithoutARetryLine()
    {
        var connector = FailingTimes(1, "once.");
        var run = QueuedRun(StepExecutionPolicy.Default, connector);

        var outcome = await Executor(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
        Assert.That(connector.Executions, Is.EqualTo(1));
        Assert.That(_store.LinesOf(run.Id).Any(l => l.Message.Contains("retry", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task ExecuteAsync_WhenAnAttemptRunsPastItsTimeout_StopsTheConnectorAndFailsTheStepWithAClearMessage()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(Policy(timeoutSeconds: 2), blocking);

        var execution = Executor(blocking).ClaimAndExecuteAsync();
        await blocking.Started.WaitAsync(Hang);
        await _timers.WaitForTimerAsync(TimeSpan.FromSeconds(2), 1, Hang);
        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.That(execution.IsCompleted, Is.False, "1 ms before the limit the step still runs");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await execution.WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(blocking.SawCancellation, Is.True, "the connector's token fired");
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Is.EqualTo("Step timed out after 2 s."));
            Assert.That(stored.Result, Is.EqualTo("Step 'slow' failed: Step timed out after 2 s."));
            Assert.That(lines.Single(l => l.Level == RunLogLevel.Error).Message, Is.EqualTo($"Step: Connector:slow failed: Step timed out after 2 s., orch_run_id: {run.Id}"));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAnAttemptTimesOutAndTheRetrySucceeds_CompletesAndLogsTheTimeoutAsTheRetryReason()
    {
        var attempts = 0;
        var connector = new ScriptedConnector("sometimes_slow", async (_, token) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await new TaskCompletionSource().Task.WaitAsync(token);
            }
        });
        var run = QueuedRun(Policy(timeoutSeconds: 1, retries: 1, retryDelayMs: 50), connector);

        var outcome = await DriveAsync(Executor(connector).ClaimAndExecuteAsync());

        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(connector.Executions, Is.EqualTo(2));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(
                _store.LinesOf(run.Id).Select(l => l.Message),
                Does.Contain($"Step: Connector:sometimes_slow failed: Step timed out after 1 s; retry 1 of 1 after 50 ms, orch_run_id: {run.Id}"));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenEachAttemptTimesOut_EachGetsTheFullLimit()
    {
        var blocking = new BlockingConnector("slow");
        var run = QueuedRun(Policy(timeoutSeconds: 3, retries: 1, retryDelayMs: 0), blocking);

        var outcome = await DriveAsync(Executor(blocking).ClaimAndExecuteAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(_timers.DueTimes.Count(d => d == TimeSpan.FromSeconds(3)), Is.EqualTo(2), "one time limit per attempt");
            Assert.That(_store.Find(run.Id)!.Steps[0].StatusMessage, Is.EqualTo("Step timed out after 3 s."));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelledDuringARetryWait_CancelsAtOnceWithoutAnotherAttempt()
    {
        var connector = FailingTimes(5, "down.");
        var later = ScriptedConnector.Logging("later");
        var run = QueuedRun(Policy(retries: 3, retryDelayMs: 60_000), connector, later);
        using var interrupt = new CancellationTokenSource();

        var execution = Executor(connector, later).ClaimAndExecuteAsync(interrupt.Token);
        await _timers.WaitForTimerAsync(TimeSpan.FromMinutes(1), 1, Hang);
        var storedWhileWaiting = _store.LinesOf(run.Id).Select(l => l.Message).ToList();
        var waitingSince = _clock.GetUtcNow();
        _store.Change(run.Id, r => r.RequestCancel(_clock.GetUtcNow()));
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(_clock.GetUtcNow(), Is.EqualTo(waitingSince), "the cancel did not wait for the retry delay");
            Assert.That(connector.Executions, Is.EqualTo(1));
            Assert.That(later.Executions, Is.Zero);
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(stored.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Any(l => l.Message.Contains("retry 1 of 3 after 60000 ms", StringComparison.Ordinal)), Is.True);
            Assert.That(storedWhileWaiting.Any(m => m.Contains("retry 1 of 3 after 60000 ms", StringComparison.Ordinal)), Is.True, "the retry line is written before the wait");
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Any(l => l.Message == $"Orch run cancelled on request while step Connector:flaky was running, orch_run_id: {run.Id}"), Is.True);
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunIsDeletedBeforeTheRetryLineIsWritten_AbandonsItWithoutRetrying()
    {
        var connector = FailingTimes(5, "down.");
        var run = QueuedRun(Policy(retries: 3, retryDelayMs: 60_000), connector);
        _store.OnAppend = _ => _store.Delete(run.Id);

        var outcome = await Executor(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
        Assert.That(connector.Executions, Is.EqualTo(1));
        Assert.That(_store.Find(run.Id), Is.Null);
    }

    [Test]
    public async Task ExecuteAsync_WhenShutDownDuringARetryWait_ReturnsTheRunToTheQueue()
    {
        var connector = FailingTimes(5, "down.");
        var run = QueuedRun(Policy(retries: 3, retryDelayMs: 60_000), connector);
        using var interrupt = new CancellationTokenSource();
        using var shuttingDown = new CancellationTokenSource();

        var execution = Executor(connector).ClaimAndExecuteAsync(interrupt.Token, shuttingDown.Token);
        await _timers.WaitForTimerAsync(TimeSpan.FromMinutes(1), 1, Hang);
        await shuttingDown.CancelAsync();
        await interrupt.CancelAsync();
        var outcome = await execution.WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Released));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Queued));
        }
    }

    [TestCase(true, TestName = "ExecuteAsync_WhenAConnectorFillsTheRunsLog_FailsTheStepSayingSoAndEndsTheLog")]
    [TestCase(false, TestName = "ExecuteAsync_WhenAConnectorIgnoringItsTokenFillsTheRunsLog_KeepsNoMoreOfItsLines")]
    public async Task ExecuteAsync_WhenAConnectorFillsTheRunsLog_FailsTheStepSayingSoAndEndsTheLog(bool stopsWhenAsked)
    {
        const int maxLines = 100;
        var chatty = new ScriptedConnector("chatty", async (context, token) =>
        {
            for (var i = 0; i < 10 * maxLines; i++)
            {
                context.Log.Info($"line {i}");
                if (stopsWhenAsked)
                {
                    token.ThrowIfCancellationRequested();
                }
            }

            await Task.Yield();
        });
        var run = QueuedRun(Policy(), chatty);
        var settings = new RunExecutionSettings(3, FlushInterval) { LogLimits = new RunLogLimits(RunLogLimits.DefaultMaxLineLength, maxLines) };

        var outcome = await DriveAsync(new TestWorker(_store, _timers, settings, chatty).ClaimAndExecuteAsync());

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        var notice = lines.Single(l => l.Message.Contains("no more of its lines are kept", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Does.Contain("Runs:MaxLogLinesPerRun"));
            Assert.That(notice.Sequence, Is.EqualTo(maxLines), "the limit-th line says why the log stops");
            Assert.That(notice.Message, Does.Contain(RunLogLimits.MaxLinesPerRunKey));
            Assert.That(lines.Where(l => l.Sequence > maxLines).Select(l => l.Message), Has.None.StartsWith("line "), "no connector line after the limit");
            Assert.That(lines, Has.Count.LessThanOrEqualTo(maxLines + 5), "after the limit only the failure and closing lines");
            Assert.That(lines[^1].IsEnd, Is.True, "the log is ended");
        }
    }

    private static StepExecutionPolicy Policy(int? timeoutSeconds = null, int? retries = null, int? retryDelayMs = null) =>
        StepExecutionPolicy.Create(timeoutSeconds, retries, retryDelayMs, "Steps[0]");

    /// <summary>A connector named "flaky" that fails its first <paramref name="failures"/> executions, then succeeds.</summary>
    private static ScriptedConnector FailingTimes(int failures, string message)
    {
        var executions = 0;
        return new ScriptedConnector("flaky", (context, _) =>
        {
            if (Interlocked.Increment(ref executions) <= failures)
            {
                throw new ConnectorFailedException(message);
            }

            context.Log.Info("flaky did its work");
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Moves the fake clock on until the execution ends: each time the code under test creates a
    /// timer (a retry delay, a time limit, the log's flush timer), by that timer's due time.
    /// </summary>
    private async Task<RunOutcome> DriveAsync(Task<RunOutcome> execution)
    {
        for (var timers = 0; !execution.IsCompleted; timers++)
        {
            await Task.WhenAny(execution, _timers.WaitForTimersAsync(timers + 1, Hang));
            if (!execution.IsCompleted && _timers.DueTimes[timers] is var due && due != Timeout.InfiniteTimeSpan)
            {
                _clock.Advance(due);
            }
        }

        return await execution;
    }

    /// <summary>Stores a QUEUED run of one step per connector, for the executor to claim as the worker does.</summary>
    private OrchRun QueuedRun(StepExecutionPolicy policy, params IConnector[] connectors)
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), policy, connectors.Select(c => (c.Name, c.ComponentId)).ToArray());
        _store.Put(run);
        return run;
    }

    private TestWorker Executor(params IConnector[] connectors) =>
        new(_store, _timers, new RunExecutionSettings(3, FlushInterval), connectors);
}
