using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.CreateOrchestrator;

public class CreateOrchestratorCommandValidatorTests
{
    private readonly CreateOrchestratorCommandValidator _validator = new(new FakeConnectorCatalog(ObjectingConnector.Instance, IdleConnector.TestConnector));

    private IReadOnlyDictionary<string, string[]> ErrorsOf(
        IReadOnlyList<OrchestratorStepInput>? steps = null,
        string? name = "Nightly",
        string? description = null,
        string? userType = null,
        string @namespace = TestData.Namespace) =>
        TestData.ErrorsOf(_validator, new CreateOrchestratorCommand(@namespace, name, description, userType, steps ?? [TestData.StepInput(1)]));

    [Test]
    public void Validate_WhenValid_HasNoErrors()
    {
        Assert.That(
            ErrorsOf([TestData.StepInput(1, paramsJson: """{"iterations":0}"""), TestData.StepInput()], description: "d", userType: "test_instant"),
            Is.Empty);
    }

    [Test]
    public void Validate_WhenAStepNamesNoConnectorOfThisService_ReportsItsCompidListingTheKnownOnes()
    {
        var step = TestData.StepInput(1) with { ComponentId = Guid.Parse("5f0c8a52-1b7e-4d36-9a0f-3c2e7d9b1a44") };

        var errors = ErrorsOf([step]);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps[0]._compid" }));
        Assert.That(errors["steps[0]._compid"].Single(), Does.Contain("is not a connector this service runs").And.Contain(TestData.TestConnector + " (test_connector)"));
    }

    [Test]
    public void Validate_WhenTheStepsConnectorRefusesItsParams_ReportsTheParams()
    {
        var step = TestData.StepInput(1, paramsJson: """{"forbidden":true}""") with { ComponentId = ObjectingConnector.Instance.ComponentId };

        var errors = ErrorsOf([step]);

        Assert.That(errors.Single().Value, Is.EqualTo(new[] { "'forbidden' cannot be set." }));
        Assert.That(errors.Single().Key, Does.EndWith("_params"));
    }

    [Test]
    public void Validate_WhenAnotherConnectorHasTheSameParams_HasNoErrors()
    {
        Assert.That(ErrorsOf([TestData.StepInput(1, paramsJson: """{"forbidden":true}""")]), Is.Empty);
    }

    [Test]
    public void Validate_WhenNamespaceIsInvalid_ReportsNsfilter()
    {
        Assert.That(ErrorsOf(@namespace: "no spaces").Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_WhenNameIsMissing_ReportsName(string? name)
    {
        Assert.That(ErrorsOf(name: name).Keys, Is.EquivalentTo(new[] { "_name" }));
    }

    [Test]
    public void Validate_WhenTextsAreTooLong_ReportsEachField()
    {
        var errors = ErrorsOf(
            name: new string('n', Orchestrator.MaxNameLength + 1),
            description: new string('d', Orchestrator.MaxDescriptionLength + 1),
            userType: new string('u', Orchestrator.MaxUserTypeLength + 1));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "_name", "_description", "_usertype" }));
    }

    [Test]
    public void Validate_WhenTextsAreAtTheirMaximum_HasNoErrors()
    {
        var errors = ErrorsOf(
            name: new string('n', Orchestrator.MaxNameLength),
            description: new string('d', Orchestrator.MaxDescriptionLength),
            userType: new string('u', Orchestrator.MaxUserTypeLength));

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Validate_WhenStepsAreMissing_ReportsSteps()
    {
        var errors = TestData.ErrorsOf(_validator, new CreateOrchestratorCommand(TestData.Namespace, "n", null, null, null));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps" }));
    }

    [Test]
    public void Validate_WhenStepsAreEmpty_ReportsSteps()
    {
        Assert.That(ErrorsOf(steps: []).Keys, Is.EquivalentTo(new[] { "steps" }));
    }

    [Test]
    public void Validate_WhenThereAreTooManySteps_ReportsSteps()
    {
        var steps = Enumerable.Range(1, Orchestrator.MaxSteps + 1).Select(i => TestData.StepInput(i)).ToList();

        Assert.That(ErrorsOf(steps).Keys, Is.EquivalentTo(new[] { "steps" }));
    }

    [Test]
    public void Validate_WhenAStepCarriesAnId_ReportsThatStep()
    {
        var errors = ErrorsOf([TestData.StepInput(1), TestData.StepInput(2, id: Guid.NewGuid())]);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps[1]" }));
    }

    [Test]
    public void Validate_WhenAStepIsMalformed_ReportsEachOfItsFields()
    {
        var step = new OrchestratorStepInput(null, "", null, 0, TestData.Json("[]"));

        var errors = ErrorsOf([TestData.StepInput(1), step]);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps[1]._name", "steps[1]._compid", "steps[1]._sequenceno", "steps[1]._params" }));
    }

    [TestCase("""{"\udc00":1}""")]
    [TestCase("""{"a":[{"b":{"\ud800":1}}]}""")]
    [TestCase("""{"a":"\ud800\u0041"}""")]
    public void Validate_WhenAStepsParamsHoldAnUnpairedSurrogate_ReportsThatStepsParams(string json)
    {
        var errors = ErrorsOf([TestData.StepInput(1, paramsJson: """{"\ud83d\ude00":"\uffff"}"""), TestData.StepInput(2, paramsJson: json)]);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps[1]._params" }));
        Assert.That(errors["steps[1]._params"], Is.EqualTo(new[] { StepParameters.UnpairedSurrogateMessage }));
    }

    [Test]
    public void Validate_WhenAStepHasNoComponent_ReportsItsComponent()
    {
        var errors = ErrorsOf([new OrchestratorStepInput(null, "s", null, 1, null)]);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "steps[0]._compid" }));
    }
}
