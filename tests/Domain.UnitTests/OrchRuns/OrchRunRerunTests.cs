using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

/// <summary>OrchRun.Rerun: a new QUEUED run from a FAILED or CANCELLED run's snapshot.</summary>
public class OrchRunRerunTests
{
    private const string Rerunner = "bob";
    private static readonly DateTimeOffset Later = TestData.Now.AddHours(1);

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Running)]
    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Completed)]
    public void Rerun_WhenTheSourceIsNotFailedOrCancelled_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        var source = TestData.NewRunIn(status, stepCount: 2);

        Assert.That(
            () => OrchRun.Rerun(source, RerunFrom.Failed, Rerunner, Later),
            Throws.TypeOf<InvalidStateTransitionException>().With.Message.Contains("only FAILED or CANCELLED"));
        Assert.That(() => OrchRun.Rerun(source, RerunFrom.First, Rerunner, Later), Throws.TypeOf<InvalidStateTransitionException>());
    }

    [TestCase(OrchRunStatus.Failed, RerunFrom.Failed)]
    [TestCase(OrchRunStatus.Failed, RerunFrom.First)]
    [TestCase(OrchRunStatus.Cancelled, RerunFrom.Failed)]
    [TestCase(OrchRunStatus.Cancelled, RerunFrom.First)]
    public void Rerun_WhenTheSourceIsFailedOrCancelled_IsANewQueuedRunLinkedToTheSource(OrchRunStatus status, RerunFrom from)
    {
        var source = TestData.NewRunIn(status, stepCount: 2);

        var rerun = OrchRun.Rerun(source, from, Rerunner, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun.Id, Is.Not.EqualTo(source.Id).And.Not.EqualTo(Guid.Empty));
            Assert.That(rerun.RerunOfId, Is.EqualTo(source.Id));
            Assert.That(rerun.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(rerun.CreatedBy, Is.EqualTo(Rerunner));
            Assert.That(rerun.CreatedAt, Is.EqualTo(Later));
            Assert.That(rerun.UpdatedAt, Is.Null);
            Assert.That(rerun.Result, Is.Empty);
            Assert.That(rerun.Attempt, Is.Zero);
            Assert.That(rerun.NodeId, Is.Null);
            Assert.That(rerun.LeaseExpiresAt, Is.Null);
            Assert.That(rerun.OrchestratorId, Is.EqualTo(source.OrchestratorId));
            Assert.That(rerun.Namespace, Is.EqualTo(source.Namespace));
            Assert.That(rerun.Name, Is.EqualTo(source.Name));
            Assert.That(rerun.Description, Is.EqualTo(source.Description));
            Assert.That(rerun.UserType, Is.EqualTo(source.UserType));
            Assert.That(rerun.Steps.Select(s => s.RunId), Is.All.EqualTo(rerun.Id));
            Assert.That(rerun.Steps.Select(s => s.Id), Is.Not.EquivalentTo(source.Steps.Select(s => s.Id)));
        }

        Assert.That(source.Status, Is.EqualTo(status), "the source run is left as it was");
    }

    [Test]
    public void Rerun_WhenTheSourceIsNotARerun_HasNoRerunOfItself()
    {
        Assert.That(TestData.NewQueuedRun().RerunOfId, Is.Null);
    }

    [Test]
    public void Rerun_FromFailed_KeepsTheCompletedStepsBeforeTheFailedOneAndQueuesTheRest()
    {
        var source = FailedAtSecondOfThree();

        var rerun = OrchRun.Rerun(source, RerunFrom.Failed, Rerunner, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Queued, OrchRunStepStatus.Queued }));
            Assert.That(rerun.Steps[0].StatusMessage, Is.EqualTo($"Completed in run {source.Id}."));
            Assert.That(rerun.Steps[0].FinishedAt, Is.EqualTo(Later));
            Assert.That(rerun.Steps.Skip(1).Select(s => s.StatusMessage), Is.All.Empty);
            Assert.That(rerun.Steps.Skip(1).Select(s => s.StartedAt), Is.All.Null);
            Assert.That(rerun.Steps.Skip(1).Select(s => s.FinishedAt), Is.All.Null);
        }
    }

    [Test]
    public void Rerun_FromFailed_DoesNotKeepACompletedStepThatComesAfterAnUnfinishedOne()
    {
        // Step 2 completed out of order, then step 1 failed: only steps before the first
        // unfinished one are kept, so everything runs again.
        var source = TestData.NewRunningRun(stepCount: 2);
        var (first, second) = (source.Steps[0].Id, source.Steps[1].Id);
        source.StartStep(second, TestData.Now.AddSeconds(2));
        source.CompleteStep(second, TestData.Now.AddSeconds(3));
        source.StartStep(first, TestData.Now.AddSeconds(4));
        source.FailStep(first, "boom", TestData.Now.AddSeconds(5));
        Assert.That(source.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Failed, OrchRunStepStatus.Completed }));

        var rerun = OrchRun.Rerun(source, RerunFrom.Failed, Rerunner, Later);

        Assert.That(rerun.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
    }

    [Test]
    public void Rerun_FromFailedOfACancelledRun_KeepsTheStepsThatCompletedBeforeTheCancel()
    {
        var source = TestData.NewRunningRun(stepCount: 3);
        source.StartStep(source.Steps[0].Id, TestData.Now.AddSeconds(2));
        source.CompleteStep(source.Steps[0].Id, TestData.Now.AddSeconds(3));
        source.StartStep(source.Steps[1].Id, TestData.Now.AddSeconds(4));
        source.RequestCancel(TestData.Now.AddSeconds(5));
        source.ConfirmCancelled(TestData.Now.AddSeconds(6));

        var rerun = OrchRun.Rerun(source, RerunFrom.Failed, Rerunner, Later);

        Assert.That(rerun.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Queued, OrchRunStepStatus.Queued }));
    }

    [Test]
    public void Rerun_FromFirst_QueuesEveryStepEvenTheCompletedOnes()
    {
        var source = FailedAtSecondOfThree();

        var rerun = OrchRun.Rerun(source, RerunFrom.First, Rerunner, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(rerun.Steps.Select(s => s.StatusMessage), Is.All.Empty);
            Assert.That(rerun.Steps.Select(s => s.FinishedAt), Is.All.Null);
        }
    }

    [TestCase(RerunFrom.Failed)]
    [TestCase(RerunFrom.First)]
    public void Rerun_CopiesEachStepsDefinitionParametersAndPolicy(RerunFrom from)
    {
        var policy = StepExecutionPolicy.Create(5, 2, 250, "steps[0]");
        var orchestrator = Orchestrator.Create(
            TestData.Namespace,
            "Params Orch",
            "with params",
            "test_instant",
            [
                new OrchestratorStepDefinition(null, "first", TestData.TestConnectorId, 1, TestData.Params("""{"iterations":10,"intervalMs":6000}"""), policy),
                new OrchestratorStepDefinition(null, "second", TestData.TestConnectorId, 2, TestData.Params("""{"iterations":3}""")),
            ],
            TestData.Now);
        var source = OrchRun.Create(
            orchestrator,
            [new ActualStepParameters(orchestrator.Steps[0].Id.ToString(), TestData.Params("""{"iterations":1,"_fileId":"cb8d42b2"}"""))],
            TestData.User,
            TestData.Now);
        source.Claim(TestData.Node, TestData.Now.AddMinutes(1), TestData.Now.AddSeconds(1));
        source.StartStep(source.Steps[0].Id, TestData.Now.AddSeconds(2));
        source.FailStep(source.Steps[0].Id, "boom", TestData.Now.AddSeconds(3));

        var rerun = OrchRun.Rerun(source, from, Rerunner, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun.Steps.Select(s => s.OrchestratorStepId), Is.EqualTo(source.Steps.Select(s => s.OrchestratorStepId)));
            Assert.That(rerun.Steps.Select(s => s.Name), Is.EqualTo(new[] { "first", "second" }));
            Assert.That(rerun.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(rerun.Steps.Select(s => s.ComponentId), Is.All.EqualTo(TestData.TestConnectorId));
            Assert.That(rerun.Steps.Select(s => s.ActualParams.Json), Is.EqualTo(source.Steps.Select(s => s.ActualParams.Json)));
            Assert.That(rerun.Steps.Select(s => s.RunParams.Json), Is.EqualTo(source.Steps.Select(s => s.RunParams.Json)));
            Assert.That(rerun.Steps[0].ActualParams.Json, Is.EqualTo("""{"iterations":1,"_fileId":"cb8d42b2"}"""));
            Assert.That(rerun.Steps[0].RunParams.Json, Does.Contain("\"_fileId\":\"cb8d42b2\"").And.Contain("\"intervalMs\":6000"));
            Assert.That(rerun.Steps[0].Policy, Is.EqualTo(policy));
            Assert.That(rerun.Steps[1].Policy, Is.EqualTo(StepExecutionPolicy.Default));
        }
    }

    [Test]
    public void Rerun_WhenTheOrchestratorChangedSinceTheSourceRan_UsesTheSourcesSnapshot()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 1, paramsJson: """{"iterations":1}""");
        var source = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);
        source.Claim(TestData.Node, TestData.Now.AddMinutes(1), TestData.Now.AddSeconds(1));
        source.StartStep(source.Steps[0].Id, TestData.Now.AddSeconds(2));
        source.FailStep(source.Steps[0].Id, "boom", TestData.Now.AddSeconds(3));
        orchestrator.Update(
            "Renamed",
            "changed",
            "test_instant",
            [TestData.StepDefinition(1, """{"iterations":99}"""), TestData.StepDefinition(2)],
            TestData.Now.AddMinutes(5));

        var rerun = OrchRun.Rerun(source, RerunFrom.First, Rerunner, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rerun.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(rerun.Steps, Has.Count.EqualTo(1));
            Assert.That(rerun.Steps[0].RunParams.Json, Is.EqualTo("""{"iterations":1}"""));
        }
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Rerun_WhenCreatedByIsBlank_ThrowsArgumentException(string createdBy)
    {
        var source = TestData.NewRunIn(OrchRunStatus.Failed);

        Assert.That(() => OrchRun.Rerun(source, RerunFrom.Failed, createdBy, Later), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Rerun_WhenTheSourceIsNull_ThrowsArgumentNullException()
    {
        Assert.That(() => OrchRun.Rerun(null!, RerunFrom.Failed, Rerunner, Later), Throws.ArgumentNullException);
    }

    [Test]
    public void Rerun_OfARerun_LinksToTheRunItWasMadeFrom()
    {
        var original = FailedAtSecondOfThree();
        var rerun = OrchRun.Rerun(original, RerunFrom.Failed, Rerunner, Later);
        rerun.Claim(TestData.Node, Later.AddMinutes(1), Later.AddSeconds(1));
        rerun.StartStep(rerun.Steps[1].Id, Later.AddSeconds(2));
        rerun.FailStep(rerun.Steps[1].Id, "again", Later.AddSeconds(3));

        var second = OrchRun.Rerun(rerun, RerunFrom.Failed, Rerunner, Later.AddMinutes(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.RerunOfId, Is.EqualTo(rerun.Id));
            Assert.That(second.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Queued, OrchRunStepStatus.Queued }));
        }
    }

    /// <summary>Three steps: the first COMPLETED, the second FAILED, the third SKIPPED.</summary>
    private static OrchRun FailedAtSecondOfThree()
    {
        var run = TestData.NewRunningRun(stepCount: 3);
        run.StartStep(run.Steps[0].Id, TestData.Now.AddSeconds(2));
        run.CompleteStep(run.Steps[0].Id, TestData.Now.AddSeconds(3));
        run.StartStep(run.Steps[1].Id, TestData.Now.AddSeconds(4));
        run.FailStep(run.Steps[1].Id, "boom", TestData.Now.AddSeconds(5));
        Assert.That(run.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Failed, OrchRunStepStatus.Skipped }));
        return run;
    }
}
