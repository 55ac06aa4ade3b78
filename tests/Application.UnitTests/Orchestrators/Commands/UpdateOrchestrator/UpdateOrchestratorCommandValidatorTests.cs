using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using FluentValidation;
using OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.UpdateOrchestrator;

public class UpdateOrchestratorCommandValidatorTests : IdAndNamespaceValidatorTests<UpdateOrchestratorCommand>
{
    private static readonly Guid OrchestratorId = Guid.NewGuid();

    protected override IValidator<UpdateOrchestratorCommand> Validator { get; } = new UpdateOrchestratorCommandValidator(new FakeConnectorCatalog(IdleConnector.TestConnector));

    protected override UpdateOrchestratorCommand Request(string @namespace, Guid id) =>
        new(@namespace, id, null, "n", null, null, [TestData.StepInput(1)]);

    [Test]
    public void Validate_WhenStepsKeepTheirIds_HasNoErrors()
    {
        var command = new UpdateOrchestratorCommand(
            TestData.Namespace, OrchestratorId, OrchestratorId.ToString(), "n", null, null, [TestData.StepInput(1, id: Guid.NewGuid()), TestData.StepInput(2)]);

        Assert.That(TestData.ErrorsOf(Validator, command), Is.Empty);
    }

    [Test]
    public void Validate_WhenBodyIdDiffersFromThePathId_ReportsBodyId()
    {
        var command = new UpdateOrchestratorCommand(TestData.Namespace, OrchestratorId, Guid.NewGuid().ToString(), "n", null, null, [TestData.StepInput(1)]);

        Assert.That(TestData.ErrorsOf(Validator, command).Keys, Is.EquivalentTo(new[] { "body.id" }));
    }

    [Test]
    public void Validate_WhenBodyIdIsNotAGuid_ReportsBodyId()
    {
        var command = new UpdateOrchestratorCommand(TestData.Namespace, OrchestratorId, "x", "n", null, null, [TestData.StepInput(1)]);

        Assert.That(TestData.ErrorsOf(Validator, command).Keys, Is.EquivalentTo(new[] { "body.id" }));
    }

    [Test]
    public void Validate_WhenNameAndStepsAreMissing_ReportsBoth()
    {
        var command = new UpdateOrchestratorCommand(TestData.Namespace, OrchestratorId, null, null, null, null, []);

        Assert.That(TestData.ErrorsOf(Validator, command).Keys, Is.EquivalentTo(new[] { "_name", "steps" }));
    }
}
