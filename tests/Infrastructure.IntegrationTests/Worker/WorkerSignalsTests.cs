using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

public sealed class WorkerSignalsTests
{
    [Test]
    public void Untrack_OfAnOlderAttempt_LeavesTheNewerAttemptOfTheSameRunReachable()
    {
        // After a lease lapse this process can claim attempt 2 while attempt 1 is still unwinding.
        var signals = new WorkerSignals();
        var runId = Guid.NewGuid();
        using var olderAttempt = new CancellationTokenSource();
        using var newerAttempt = new CancellationTokenSource();
        signals.Track(runId, olderAttempt);
        signals.Track(runId, newerAttempt);

        signals.Untrack(runId, olderAttempt);
        signals.CancelRequested(runId);

        Assert.That(newerAttempt.IsCancellationRequested, Is.True, "the cancel reaches the attempt that is running");
    }

    [Test]
    public void Untrack_OfTheTrackedAttempt_StopsCancelSignalsReachingIt()
    {
        var signals = new WorkerSignals();
        var runId = Guid.NewGuid();
        using var attempt = new CancellationTokenSource();
        signals.Track(runId, attempt);

        signals.Untrack(runId, attempt);
        signals.CancelRequested(runId);

        Assert.That(attempt.IsCancellationRequested, Is.False);
    }

    [Test]
    public async Task WaitForCancelAsync_WhenACancelIsRequested_ReturnsAtOnceWhileTheClaimLoopSleepsOn()
    {
        var signals = new WorkerSignals();
        var cancelWait = signals.WaitForCancelAsync(TimeSpan.FromHours(1), CancellationToken.None);
        var queueWait = signals.WaitForQueuedRunAsync(TimeSpan.FromHours(1), CancellationToken.None);

        signals.CancelRequested(Guid.NewGuid());

        await cancelWait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(queueWait.IsCompleted, Is.False, "a cancel does not wake the claim loop");
    }

    [Test]
    public async Task WaitForQueuedRunAsync_WhenARunIsQueued_ReturnsAtOnce()
    {
        var signals = new WorkerSignals();
        var queueWait = signals.WaitForQueuedRunAsync(TimeSpan.FromHours(1), CancellationToken.None);

        signals.RunQueued();

        await queueWait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(queueWait.IsCompletedSuccessfully, Is.True);
    }
}
