using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

/// <summary>What happens to a run when its worker goes away: a crash (lost lease) or a clean shutdown.</summary>
public class OrchRunRecoveryTests
{
    private const int MaxAttempts = 3;
    private static readonly DateTimeOffset T1 = TestData.Now.AddMinutes(1);
    private static readonly DateTimeOffset T2 = TestData.Now.AddMinutes(2);

    /// <summary>A running run with its first step completed and its second step running.</summary>
    private static OrchRun MidwayRun(int stepCount = 3)
    {
        var run = TestData.NewRunningRun(stepCount);
        var steps = run.Steps;
        run.StartStep(steps[0].Id, TestData.Now.AddSeconds(2));
        run.CompleteStep(steps[0].Id, TestData.Now.AddSeconds(3));
        run.StartStep(steps[1].Id, TestData.Now.AddSeconds(4));
        return run;
    }

    [Test]
    public void RecoverFromLostLease_WhenAttemptsRemain_RequeuesTheRunAndKeepsTheAttempt()
    {
        var run = MidwayRun();
        var steps = run.Steps;

        run.RecoverFromLostLease(MaxAttempts, T1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(run.Attempt, Is.EqualTo(1));
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(T1));
            Assert.That(run.Result, Is.Empty);
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(steps[1].StartedAt, Is.Null);
            Assert.That(steps[2].Status, Is.EqualTo(OrchRunStepStatus.Queued));
        }
    }

    [Test]
    public void RecoverFromLostLease_WhenReclaimed_ResumesAtTheFirstUnfinishedStep()
    {
        var run = MidwayRun();
        run.RecoverFromLostLease(MaxAttempts, T1);

        run.Claim("node-2", T2.AddMinutes(1), T2);
        var resumed = run.StartStep(run.Steps[1].Id, T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Attempt, Is.EqualTo(2));
            Assert.That(run.NodeId, Is.EqualTo("node-2"));
            Assert.That(resumed.Status, Is.EqualTo(OrchRunStepStatus.Running));
            Assert.That(run.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
        }
    }

    [Test]
    public void RecoverFromLostLease_WhenAttemptsAreUsedUp_FailsWithAResultThatSaysWhy()
    {
        var run = MidwayRun();
        for (var attempt = 2; attempt <= MaxAttempts; attempt++)
        {
            run.RecoverFromLostLease(MaxAttempts, T1);
            run.Claim($"node-{attempt}", T2, T1);
            run.StartStep(run.Steps[1].Id, T1);
        }

        Assert.That(run.Attempt, Is.EqualTo(MaxAttempts));
        run.RecoverFromLostLease(MaxAttempts, T2);

        var steps = run.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(run.Result, Does.Contain("3 attempts").And.Contain("node-3").And.Contain("lease"));
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(T2));
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(steps[2].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(steps[2].StatusMessage, Is.Not.Empty);
        }
    }

    [Test]
    public void RecoverFromLostLease_WhenCancelWasRequested_CancelsInsteadOfRequeueing()
    {
        var run = MidwayRun();
        run.RequestCancel(T1);

        run.RecoverFromLostLease(MaxAttempts, T2);

        var steps = run.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.NodeId, Is.Null);
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(steps[2].Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
        }
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public void RecoverFromLostLease_WhenRunIsNotHeld_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);

        Assert.That(() => run.RecoverFromLostLease(MaxAttempts, T1), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Status, Is.EqualTo(status));
    }

    [Test]
    public void ReleaseOnShutdown_WhenHeldByTheNode_RequeuesWithoutUsingAnAttempt()
    {
        var run = MidwayRun();

        run.ReleaseOnShutdown(TestData.Node, T1);

        var steps = run.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(run.Attempt, Is.Zero);
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(T1));
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Queued));
        }
    }

    [Test]
    public void ReleaseOnShutdown_WhenRepeated_DoesNotExhaustTheCrashAttempts()
    {
        var run = TestData.NewQueuedRun();
        for (var i = 0; i < MaxAttempts + 2; i++)
        {
            run.Claim(TestData.Node, T2, T1);
            run.ReleaseOnShutdown(TestData.Node, T1);
        }

        run.Claim(TestData.Node, T2, T1);
        run.RecoverFromLostLease(MaxAttempts, T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(run.Attempt, Is.EqualTo(1));
        }
    }

    [Test]
    public void ReleaseOnShutdown_WhenCancelWasRequested_CancelsTheRun()
    {
        var run = MidwayRun();
        run.RequestCancel(T1);

        run.ReleaseOnShutdown(TestData.Node, T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.Steps.Skip(1).Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
        }
    }

    [Test]
    public void ReleaseOnShutdown_WhenAnotherNodeHoldsTheRun_ThrowsAndLeavesItRunning()
    {
        var run = MidwayRun();

        Assert.That(() => run.ReleaseOnShutdown("node-2", T1), Throws.TypeOf<InvalidStateTransitionException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(run.Attempt, Is.EqualTo(1));
            Assert.That(run.NodeId, Is.EqualTo(TestData.Node));
        }
    }

    [Test]
    public void ReleaseOnShutdown_WhenQueued_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewQueuedRun();

        Assert.That(() => run.ReleaseOnShutdown(TestData.Node, T1), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Attempt, Is.Zero);
    }
}
