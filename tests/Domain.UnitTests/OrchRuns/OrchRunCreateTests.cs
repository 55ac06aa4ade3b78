using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

public class OrchRunCreateTests
{
    [Test]
    public void Create_WhenCalled_SnapshotsOrchestratorIdentityAndDescription()
    {
        var orchestrator = TestData.NewOrchestrator();

        var run = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(run.OrchestratorId, Is.EqualTo(orchestrator.Id));
            Assert.That(run.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(run.Description, Is.EqualTo("Test Instant Orch description"));
            Assert.That(run.UserType, Is.EqualTo("test_instant"));
            Assert.That(run.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(run.CreatedBy, Is.EqualTo(TestData.User));
            Assert.That(run.CreatedAt, Is.EqualTo(TestData.Now));
        }
    }

    [Test]
    public void Create_WhenCalled_IsQueuedUnheldAndUnchanged()
    {
        var run = OrchRun.Create(TestData.NewOrchestrator(), [], TestData.User, TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(run.Result, Is.Empty);
            Assert.That(run.UpdatedAt, Is.Null);
            Assert.That(run.NodeId, Is.Null);
            Assert.That(run.LeaseExpiresAt, Is.Null);
            Assert.That(run.Attempt, Is.Zero);
            Assert.That(run.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
        }
    }

    [Test]
    public void Create_WhenCalled_CopiesEveryStepInSequenceOrder()
    {
        var orchestrator = Orchestrator.Create(
            TestData.Namespace,
            "Unordered",
            null,
            null,
            [TestData.StepDefinition(3), TestData.StepDefinition(1), TestData.StepDefinition(2)],
            TestData.Now);

        var run = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);

        Assert.That(run.Steps, Has.Count.EqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < 3; i++)
            {
                var source = orchestrator.Steps[i];
                var step = run.Steps[i];
                Assert.That(step.SequenceNo, Is.EqualTo(i + 1));
                Assert.That(step.OrchestratorStepId, Is.EqualTo(source.Id));
                Assert.That(step.Name, Is.EqualTo(source.Name));
                Assert.That(step.ComponentId, Is.EqualTo(TestData.TestConnectorId));
                Assert.That(step.RunId, Is.EqualTo(run.Id));
                Assert.That(step.Id, Is.Not.EqualTo(source.Id));
                Assert.That(step.StatusMessage, Is.Empty);
                Assert.That(step.StartedAt, Is.Null);
                Assert.That(step.FinishedAt, Is.Null);
            }
        }

        Assert.That(run.Steps.Select(s => s.Id), Is.Unique);
    }

    [Test]
    public void Create_WhenOrchestratorIsEditedLater_RunKeepsItsSnapshot()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":1}""");
        var run = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);
        var firstStep = orchestrator.Steps[0];

        orchestrator.Update(
            "Renamed",
            "New description",
            "other_type",
            [new OrchestratorStepDefinition(firstStep.Id, "renamed_step", Guid.NewGuid(), 1, TestData.Params("""{"iterations":99}"""))],
            TestData.Now.AddMinutes(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(run.Description, Is.EqualTo("Test Instant Orch description"));
            Assert.That(run.UserType, Is.EqualTo("test_instant"));
            Assert.That(run.Steps, Has.Count.EqualTo(2));
            Assert.That(run.Steps[0].Name, Is.EqualTo("test_connector_1"));
            Assert.That(run.Steps[0].ComponentId, Is.EqualTo(TestData.TestConnectorId));
            Assert.That(run.Steps[0].RunParams.Json, Is.EqualTo("""{"iterations":1}"""));
        }
    }

    [Test]
    public void Create_WhenNoActualParams_StepsRunWithTheirDefaults()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":10,"intervalMs":6000}""");

        var run = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Steps.Select(s => s.ActualParams.Json), Is.All.EqualTo("{}"));
            Assert.That(run.Steps.Select(s => s.RunParams.Json), Is.All.EqualTo("""{"iterations":10,"intervalMs":6000}"""));
        }
    }

    [Test]
    public void Create_WhenActualParamsGiven_OverlaysThemOnTheStepDefaultsAsRunParams()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":10,"intervalMs":6000}""");
        var second = orchestrator.Steps[1];

        var run = OrchRun.Create(
            orchestrator,
            [new ActualStepParameters(second.Id.ToString(), TestData.Params("""{"iterations":0,"extra":"x"}"""))],
            TestData.User,
            TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Steps[0].ActualParams.Json, Is.EqualTo("{}"));
            Assert.That(run.Steps[0].RunParams.Json, Is.EqualTo("""{"iterations":10,"intervalMs":6000}"""));
            Assert.That(run.Steps[1].ActualParams.Json, Is.EqualTo("""{"iterations":0,"extra":"x"}"""));
            Assert.That(run.Steps[1].RunParams.Json, Is.EqualTo("""{"iterations":0,"intervalMs":6000,"extra":"x"}"""));
        }
    }

    [Test]
    public void Create_WhenSequenceTypeIdIsUpperCase_MatchesTheStep()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 1);
        var stepId = orchestrator.Steps[0].Id.ToString().ToUpperInvariant();

        var run = OrchRun.Create(orchestrator, [new ActualStepParameters(stepId, TestData.Params("""{"a":1}"""))], TestData.User, TestData.Now);

        Assert.That(run.Steps[0].ActualParams.Json, Is.EqualTo("""{"a":1}"""));
    }

    [Test]
    public void Create_WhenSequenceTypeIdIsUnknown_ThrowsDomainValidationExceptionForThatEntry()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        List<ActualStepParameters> actual =
        [
            new(orchestrator.Steps[0].Id.ToString(), StepParameters.Empty),
            new(Guid.NewGuid().ToString(), StepParameters.Empty),
        ];

        Assert.That(
            () => OrchRun.Create(orchestrator, actual, TestData.User, TestData.Now),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo("ActualParams[1].StepId"));
    }

    [Test]
    public void Create_WhenSequenceTypeIdIsAStepOfAnotherOrchestrator_ThrowsDomainValidationException()
    {
        var orchestrator = TestData.NewOrchestrator();
        var other = TestData.NewOrchestrator();

        Assert.That(
            () => OrchRun.Create(orchestrator, [new(other.Steps[0].Id.ToString(), StepParameters.Empty)], TestData.User, TestData.Now),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo("ActualParams[0].StepId"));
    }

    [TestCase("not-a-guid")]
    [TestCase("")]
    [TestCase("1")]
    public void Create_WhenSequenceTypeIdIsNotAGuid_ThrowsDomainValidationException(string sequenceTypeId)
    {
        var orchestrator = TestData.NewOrchestrator();

        Assert.That(
            () => OrchRun.Create(orchestrator, [new(sequenceTypeId, StepParameters.Empty)], TestData.User, TestData.Now),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo("ActualParams[0].StepId"));
    }

    [Test]
    public void Create_WhenSequenceTypeIdIsRepeated_ThrowsDomainValidationExceptionForTheRepeat()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var stepId = orchestrator.Steps[1].Id;
        List<ActualStepParameters> actual =
        [
            new(stepId.ToString(), TestData.Params("""{"a":1}""")),
            new(orchestrator.Steps[0].Id.ToString(), StepParameters.Empty),
            new(stepId.ToString("B").ToUpperInvariant(), TestData.Params("""{"a":2}""")),
        ];

        Assert.That(
            () => OrchRun.Create(orchestrator, actual, TestData.User, TestData.Now),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo("ActualParams[2].StepId"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Create_WhenCreatedByIsBlank_ThrowsArgumentException(string createdBy)
    {
        Assert.That(
            () => OrchRun.Create(TestData.NewOrchestrator(), [], createdBy, TestData.Now),
            Throws.InstanceOf<ArgumentException>());
    }
}
