using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Domain.UnitTests.Orchestrators;

public class OrchestratorTests
{
    private static readonly DateTimeOffset Later = TestData.Now.AddHours(1);

    [Test]
    public void Create_WhenValid_AssignsIdsAndKeepsTheDefinition()
    {
        var orchestrator = Orchestrator.Create(
            TestData.Namespace,
            "  Nightly load  ",
            "Loads things",
            "test_instant",
            [TestData.StepDefinition(2, """{"iterations":0}"""), TestData.StepDefinition(1)],
            TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(orchestrator.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(orchestrator.Name, Is.EqualTo("Nightly load"));
            Assert.That(orchestrator.Description, Is.EqualTo("Loads things"));
            Assert.That(orchestrator.UserType, Is.EqualTo("test_instant"));
            Assert.That(orchestrator.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(orchestrator.UpdatedAt, Is.Null);
            Assert.That(orchestrator.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(orchestrator.Steps.Select(s => s.Name), Is.EqualTo(new[] { "test_connector_1", "test_connector_2" }));
            Assert.That(orchestrator.Steps.Select(s => s.Id), Is.Unique.And.Not.Contains(Guid.Empty));
            Assert.That(orchestrator.Steps.Select(s => s.OrchestratorId), Is.All.EqualTo(orchestrator.Id));
            Assert.That(orchestrator.Steps.Select(s => s.ComponentId), Is.All.EqualTo(TestData.TestConnectorId));
            Assert.That(orchestrator.Steps[1].Params.Json, Is.EqualTo("""{"iterations":0}"""));
        }
    }

    [Test]
    public void Create_WhenDescriptionAndUserTypeAreNull_UsesEmptyText()
    {
        var orchestrator = Orchestrator.Create(TestData.Namespace, "n", null, null, [TestData.StepDefinition(1)], TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Description, Is.Empty);
            Assert.That(orchestrator.UserType, Is.Empty);
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Create_WhenNameIsBlank_ThrowsDomainValidationExceptionForName(string name)
    {
        Assert.That(
            () => Orchestrator.Create(TestData.Namespace, name, null, null, [TestData.StepDefinition(1)], TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Name"));
    }

    [Test]
    public void Create_WhenThereAreNoSteps_ThrowsDomainValidationExceptionForSteps()
    {
        Assert.That(
            () => Orchestrator.Create(TestData.Namespace, "n", null, null, [], TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
    }

    [Test]
    public void Create_WhenThereAreTooManySteps_ThrowsDomainValidationExceptionForSteps()
    {
        var steps = Enumerable.Range(1, Orchestrator.MaxSteps + 1).Select(i => TestData.StepDefinition(i)).ToList();

        Assert.That(
            () => Orchestrator.Create(TestData.Namespace, "n", null, null, steps, TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
    }

    [Test]
    public void Create_WhenTheMaximumNumberOfSteps_Succeeds()
    {
        var steps = Enumerable.Range(1, Orchestrator.MaxSteps).Select(i => TestData.StepDefinition(i)).ToList();

        var orchestrator = Orchestrator.Create(TestData.Namespace, "n", null, null, steps, TestData.Now);

        Assert.That(orchestrator.Steps, Has.Count.EqualTo(Orchestrator.MaxSteps));
    }

    [Test]
    public void Create_WhenSequenceNumbersRepeat_ThrowsDomainValidationExceptionForSteps()
    {
        Assert.That(
            () => Orchestrator.Create(TestData.Namespace, "n", null, null, [TestData.StepDefinition(1), TestData.StepDefinition(2), TestData.StepDefinition(1)], TestData.Now),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps")
                .And.Message.Contains("1"));
    }

    [Test]
    public void Create_WhenAStepNamesAnId_ThrowsDomainValidationExceptionBecauseNoStepExistsYet()
    {
        Assert.That(
            () => Orchestrator.Create(TestData.Namespace, "n", null, null, [TestData.StepDefinition(1, id: Guid.NewGuid())], TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Create_WhenNamespaceIsBlank_ThrowsArgumentException(string @namespace)
    {
        Assert.That(
            () => Orchestrator.Create(@namespace, "n", null, null, [TestData.StepDefinition(1)], TestData.Now),
            Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Update_WhenValid_ReplacesTheDefinitionAndSetsUpdatedAt()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 1);
        var createdAt = orchestrator.CreatedAt;

        orchestrator.Update("Renamed", "New description", "other", [TestData.StepDefinition(1)], Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Name, Is.EqualTo("Renamed"));
            Assert.That(orchestrator.Description, Is.EqualTo("New description"));
            Assert.That(orchestrator.UserType, Is.EqualTo("other"));
            Assert.That(orchestrator.UpdatedAt, Is.EqualTo(Later));
            Assert.That(orchestrator.CreatedAt, Is.EqualTo(createdAt));
            Assert.That(orchestrator.Namespace, Is.EqualTo(TestData.Namespace));
        }
    }

    [Test]
    public void Update_WhenStepsNameTheirIds_KeepsThoseIdsAndRedefinesTheSteps()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var first = orchestrator.Steps[0].Id;
        var second = orchestrator.Steps[1].Id;
        var otherComponent = Guid.NewGuid();

        orchestrator.Update(
            "n",
            null,
            null,
            [
                new OrchestratorStepDefinition(second, "now_first", otherComponent, 1, TestData.Params("""{"x":1}""")),
                new OrchestratorStepDefinition(first, "now_second", TestData.TestConnectorId, 2, StepParameters.Empty),
            ],
            Later);

        var steps = orchestrator.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps.Select(s => s.Id), Is.EqualTo(new[] { second, first }));
            Assert.That(steps[0].Name, Is.EqualTo("now_first"));
            Assert.That(steps[0].ComponentId, Is.EqualTo(otherComponent));
            Assert.That(steps[0].SequenceNo, Is.EqualTo(1));
            Assert.That(steps[0].Params.Json, Is.EqualTo("""{"x":1}"""));
            Assert.That(steps[1].Name, Is.EqualTo("now_second"));
            Assert.That(orchestrator.FindStep(first), Is.SameAs(steps[1]));
        }
    }

    [Test]
    public void Update_WhenStepsHaveNoIds_GivesThemNewIds()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 1);
        var kept = orchestrator.Steps[0].Id;

        orchestrator.Update("n", null, null, [TestData.StepDefinition(1, id: kept), TestData.StepDefinition(2)], Later);

        var steps = orchestrator.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps, Has.Count.EqualTo(2));
            Assert.That(steps[0].Id, Is.EqualTo(kept));
            Assert.That(steps[1].Id, Is.Not.EqualTo(kept).And.Not.EqualTo(Guid.Empty));
            Assert.That(steps[1].OrchestratorId, Is.EqualTo(orchestrator.Id));
        }
    }

    [Test]
    public void Update_WhenAStepIsLeftOut_RemovesIt()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var removed = orchestrator.Steps[1].Id;

        orchestrator.Update("n", null, null, [TestData.StepDefinition(1, id: orchestrator.Steps[0].Id)], Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Steps, Has.Count.EqualTo(1));
            Assert.That(orchestrator.FindStep(removed), Is.Null);
        }
    }

    [Test]
    public void Update_WhenAStepIdIsNotAStepOfThisOrchestrator_ThrowsAndLeavesTheDefinitionUnchanged()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var before = orchestrator.Steps.Select(s => (s.Id, s.Name, s.SequenceNo)).ToList();

        Assert.That(
            () => orchestrator.Update(
                "Renamed",
                "changed",
                "changed",
                [
                    new OrchestratorStepDefinition(orchestrator.Steps[0].Id, "renamed_step", TestData.TestConnectorId, 5, StepParameters.Empty),
                    TestData.StepDefinition(6, id: Guid.NewGuid()),
                ],
                Later),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(orchestrator.Description, Is.EqualTo("Test Instant Orch description"));
            Assert.That(orchestrator.UserType, Is.EqualTo("test_instant"));
            Assert.That(orchestrator.UpdatedAt, Is.Null);
            Assert.That(orchestrator.Steps.Select(s => (s.Id, s.Name, s.SequenceNo)), Is.EqualTo(before));
        }
    }

    [Test]
    public void Update_WhenAStepIdIsRepeated_ThrowsDomainValidationException()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var id = orchestrator.Steps[0].Id;

        Assert.That(
            () => orchestrator.Update("n", null, null, [TestData.StepDefinition(1, id: id), TestData.StepDefinition(2, id: id)], Later),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
        Assert.That(orchestrator.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Update_WhenSequenceNumbersRepeat_ThrowsAndLeavesTheDefinitionUnchanged()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);

        Assert.That(
            () => orchestrator.Update("Renamed", null, null, [TestData.StepDefinition(3), TestData.StepDefinition(3)], Later),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestrator.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(orchestrator.Steps, Has.Count.EqualTo(2));
            Assert.That(orchestrator.UpdatedAt, Is.Null);
        }
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Update_WhenNameIsBlank_ThrowsDomainValidationExceptionForName(string name)
    {
        var orchestrator = TestData.NewOrchestrator();

        Assert.That(
            () => orchestrator.Update(name, null, null, [TestData.StepDefinition(1)], Later),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Name"));
        Assert.That(orchestrator.UpdatedAt, Is.Null);
    }

    [Test]
    public void Update_WhenThereAreNoSteps_ThrowsDomainValidationExceptionForSteps()
    {
        var orchestrator = TestData.NewOrchestrator();

        Assert.That(
            () => orchestrator.Update("n", null, null, [], Later),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps"));
        Assert.That(orchestrator.Steps, Has.Count.EqualTo(2));
    }

    [Test]
    public void FindStep_WhenTheIdIsUnknown_ReturnsNull()
    {
        var orchestrator = TestData.NewOrchestrator();

        Assert.That(orchestrator.FindStep(Guid.NewGuid()), Is.Null);
    }
}
