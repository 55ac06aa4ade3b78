using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

/// <summary>The worker's path through a run: claim, lease, steps, completion or failure.</summary>
public class OrchRunExecutionTests
{
    private static readonly DateTimeOffset T1 = TestData.Now.AddSeconds(10);
    private static readonly DateTimeOffset T2 = TestData.Now.AddSeconds(20);

    [Test]
    public void Claim_WhenQueued_BecomesRunningHeldByTheNode()
    {
        var run = TestData.NewQueuedRun();
        var lease = T1.AddSeconds(30);

        run.Claim(TestData.Node, lease, T1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(run.NodeId, Is.EqualTo(TestData.Node));
            Assert.That(run.LeaseExpiresAt, Is.EqualTo(lease));
            Assert.That(run.Attempt, Is.EqualTo(1));
            Assert.That(run.UpdatedAt, Is.EqualTo(T1));
        }
    }

    [TestCase(OrchRunStatus.Running)]
    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public void Claim_WhenNotQueued_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);
        var attempt = run.Attempt;

        Assert.That(() => run.Claim("node-2", T2, T1), Throws.TypeOf<InvalidStateTransitionException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(status));
            Assert.That(run.Attempt, Is.EqualTo(attempt));
        }
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Claim_WhenNodeIdIsBlank_ThrowsArgumentException(string nodeId)
    {
        var run = TestData.NewQueuedRun();

        Assert.That(() => run.Claim(nodeId, T2, T1), Throws.InstanceOf<ArgumentException>());
        Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
    }

    [Test]
    public void StartStep_WhenRunning_StartsTheStep()
    {
        var run = TestData.NewRunningRun();
        var stepId = run.Steps[0].Id;

        var step = run.StartStep(stepId, T1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(step.Id, Is.EqualTo(stepId));
            Assert.That(step.Status, Is.EqualTo(OrchRunStepStatus.Running));
            Assert.That(step.StartedAt, Is.EqualTo(T1));
            Assert.That(run.UpdatedAt, Is.EqualTo(T1));
            Assert.That(run.Steps[1].Status, Is.EqualTo(OrchRunStepStatus.Queued));
        }
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Completed)]
    public void StartStep_WhenRunIsNotRunning_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);
        var step = run.Steps[^1];
        var stepStatus = step.Status;

        Assert.That(() => run.StartStep(step.Id, T1), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(step.Status, Is.EqualTo(stepStatus));
    }

    [Test]
    public void StartStep_WhenStepAlreadyStarted_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewRunningRun();
        var stepId = run.Steps[0].Id;
        run.StartStep(stepId, T1);

        Assert.That(() => run.StartStep(stepId, T2), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Steps[0].StartedAt, Is.EqualTo(T1));
    }

    [Test]
    public void StartStep_WhenStepIsNotOfThisRun_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewRunningRun();

        Assert.That(() => run.StartStep(Guid.NewGuid(), T1), Throws.TypeOf<InvalidStateTransitionException>());
    }

    [Test]
    public void CompleteStep_WhenStepRunning_CompletesIt()
    {
        var run = TestData.NewRunningRun();
        var stepId = run.Steps[0].Id;
        run.StartStep(stepId, T1);

        run.CompleteStep(stepId, T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(run.Steps[0].IsFinished, Is.True);
            Assert.That(run.Steps[0].FinishedAt, Is.EqualTo(T2));
            Assert.That(run.Steps[0].StatusMessage, Is.Empty);
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(run.UpdatedAt, Is.EqualTo(T2));
        }
    }

    [Test]
    public void CompleteStep_WhenCancelRequestedMeanwhile_StillRecordsTheRunningStepsOutcome()
    {
        var run = TestData.NewRunningRun();
        var stepId = run.Steps[0].Id;
        run.StartStep(stepId, T1);
        run.RequestCancel(T1.AddSeconds(1));

        run.CompleteStep(stepId, T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        }
    }

    [Test]
    public void CompleteStep_WhenStepIsNotRunning_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewRunningRun();

        Assert.That(() => run.CompleteStep(run.Steps[0].Id, T1), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Queued));
    }

    [Test]
    public void CompleteStep_WhenRunIsQueued_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewQueuedRun();

        Assert.That(() => run.CompleteStep(run.Steps[0].Id, T1), Throws.TypeOf<InvalidStateTransitionException>());
    }

    [Test]
    public void FailStep_WhenStepRunning_FailsTheRunAndSkipsLaterSteps()
    {
        var run = TestData.NewRunningRun(stepCount: 3);
        var steps = run.Steps;
        run.StartStep(steps[0].Id, T1);
        run.CompleteStep(steps[0].Id, T1);
        run.StartStep(steps[1].Id, T1);

        run.FailStep(steps[1].Id, "connector exploded", T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(run.Result, Is.EqualTo("Step 'test_connector_2' failed: connector exploded"));
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(T2));
            Assert.That(steps[0].Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(steps[1].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(steps[1].StatusMessage, Is.EqualTo("connector exploded"));
            Assert.That(steps[1].FinishedAt, Is.EqualTo(T2));
            Assert.That(steps[2].Status, Is.EqualTo(OrchRunStepStatus.Skipped));
            Assert.That(steps[2].StatusMessage, Does.Contain("test_connector_2"));
        }
    }

    [Test]
    public void FailStep_WhenStepIsNotRunning_ThrowsInvalidStateTransition()
    {
        var run = TestData.NewRunningRun();

        Assert.That(() => run.FailStep(run.Steps[0].Id, "boom", T1), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void FailStep_WhenMessageIsBlank_ThrowsArgumentException(string message)
    {
        var run = TestData.NewRunningRun();
        run.StartStep(run.Steps[0].Id, T1);

        Assert.That(() => run.FailStep(run.Steps[0].Id, message, T2), Throws.InstanceOf<ArgumentException>());
        Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
    }

    [Test]
    public void Complete_WhenEveryStepCompleted_BecomesCompletedAndReleasesTheHold()
    {
        var run = TestData.NewRunningRun(stepCount: 2);
        foreach (var step in run.Steps)
        {
            run.StartStep(step.Id, T1);
            run.CompleteStep(step.Id, T1);
        }

        run.Complete(T2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(run.Status.IsTerminal(), Is.True);
            Assert.That(run.Result, Is.Empty);
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.UpdatedAt, Is.EqualTo(T2));
        }
    }

    [Test]
    public void Complete_WhenAStepHasNotCompleted_ThrowsAndStaysRunning()
    {
        var run = TestData.NewRunningRun(stepCount: 2);
        var first = run.Steps[0];
        run.StartStep(first.Id, T1);
        run.CompleteStep(first.Id, T1);

        Assert.That(
            () => run.Complete(T2),
            Throws.TypeOf<InvalidStateTransitionException>().With.Message.Contains("test_connector_2"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(run.NodeId, Is.EqualTo(TestData.Node));
        }
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Failed)]
    public void Complete_WhenRunIsNotRunning_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var run = TestData.NewRunIn(status);

        Assert.That(() => run.Complete(T2), Throws.TypeOf<InvalidStateTransitionException>());
        Assert.That(run.Status, Is.EqualTo(status));
    }
}
