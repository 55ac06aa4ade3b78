using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

public class OrchRunCancelTests
{
    private static readonly DateTimeOffset CancelTime = TestData.Now.AddMinutes(2);

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Running)]
    public void RequestCancel_WhenActive_BecomesRequestCancelAndReturnsTrue(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);

        var changed = run.RequestCancel(CancelTime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
            Assert.That(run.UpdatedAt, Is.EqualTo(CancelTime));
        }
    }

    [Test]
    public void RequestCancel_WhenRunning_KeepsTheWorkersHoldSoItCanStop()
    {
        var run = TestData.NewRunningRun();
        var lease = run.LeaseExpiresAt;

        run.RequestCancel(CancelTime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.NodeId, Is.EqualTo(TestData.Node));
            Assert.That(run.LeaseExpiresAt, Is.EqualTo(lease));
        }
    }

    [Test]
    public void RequestCancel_WhenAlreadyRequested_ReturnsFalseAndChangesNothing()
    {
        var run = TestData.NewQueuedRun();
        run.RequestCancel(CancelTime);

        var changed = run.RequestCancel(CancelTime.AddMinutes(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
            Assert.That(run.UpdatedAt, Is.EqualTo(CancelTime));
        }
    }

    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public void RequestCancel_WhenFinished_ThrowsInvalidStateTransitionAndKeepsStatus(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);
        var updatedAt = run.UpdatedAt;

        Assert.That(() => run.RequestCancel(CancelTime), Throws.TypeOf<InvalidStateTransitionException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(status));
            Assert.That(run.UpdatedAt, Is.EqualTo(updatedAt));
        }
    }

    [Test]
    public void ConfirmCancelled_WhenRequestedWhileRunning_CancelsRunAndItsUnfinishedSteps()
    {
        var run = TestData.NewRunningRun(stepCount: 3);
        var steps = run.Steps;
        run.StartStep(steps[0].Id, TestData.Now.AddSeconds(2));
        run.CompleteStep(steps[0].Id, TestData.Now.AddSeconds(3));
        run.StartStep(steps[1].Id, TestData.Now.AddSeconds(4));
        run.RequestCancel(CancelTime);

        run.ConfirmCancelled(CancelTime.AddSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.Result, Is.EqualTo("Cancelled on request."));
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(CancelTime.AddSeconds(1)));
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[0].FinishedAt, Is.EqualTo(TestData.Now.AddSeconds(3)));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(steps[2].Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(steps[2].FinishedAt, Is.EqualTo(CancelTime.AddSeconds(1)));
            Assert.That(steps[2].StatusMessage, Is.Not.Empty);
        }
    }

    [Test]
    public void ConfirmCancelled_WhenRequestedWhileQueued_CancelsEveryStep()
    {
        var run = TestData.NewQueuedRun(stepCount: 2);
        run.RequestCancel(CancelTime);

        run.ConfirmCancelled(CancelTime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(run.Attempt, Is.Zero);
        }
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Running)]
    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public void ConfirmCancelled_WhenCancelWasNotRequested_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);

        Assert.That(() => run.ConfirmCancelled(CancelTime), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Status, Is.EqualTo(status));
    }
}
