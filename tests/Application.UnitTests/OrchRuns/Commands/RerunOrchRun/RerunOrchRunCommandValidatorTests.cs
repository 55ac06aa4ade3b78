using FluentValidation;
using OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.RerunOrchRun;

public class RerunOrchRunCommandValidatorTests : IdAndNamespaceValidatorTests<RerunOrchRunCommand>
{
    private static readonly Guid RunId = Guid.NewGuid();

    protected override IValidator<RerunOrchRunCommand> Validator { get; } = new RerunOrchRunCommandValidator();

    protected override RerunOrchRunCommand Request(string @namespace, Guid id) => new(@namespace, id, null);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("failed")]
    [TestCase("first")]
    [TestCase("FAILED")]
    [TestCase("First")]
    public void Validate_WhenFromStepIsFailedFirstOrAbsent_HasNoErrors(string? fromStep)
    {
        Assert.That(TestData.ErrorsOf(Validator, new RerunOrchRunCommand(TestData.Namespace, RunId, fromStep)), Is.Empty);
    }

    [TestCase("last")]
    [TestCase("0")]
    [TestCase("failed ")]
    [TestCase("all")]
    public void Validate_WhenFromStepIsAnythingElse_ReportsFromStep(string fromStep)
    {
        var errors = TestData.ErrorsOf(Validator, new RerunOrchRunCommand(TestData.Namespace, RunId, fromStep));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "fromStep" }));
        Assert.That(errors["fromStep"], Is.EqualTo(new[] { "fromStep must be 'failed' or 'first'." }));
    }
}
