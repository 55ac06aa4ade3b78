using FluentValidation;
using OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.CancelOrchRun;

public class CancelOrchRunCommandValidatorTests : IdAndNamespaceValidatorTests<CancelOrchRunCommand>
{
    private static readonly Guid RunId = Guid.NewGuid();

    protected override IValidator<CancelOrchRunCommand> Validator { get; } = new CancelOrchRunCommandValidator();

    protected override CancelOrchRunCommand Request(string @namespace, Guid id) => new(@namespace, id, id.ToString());

    [Test]
    public void Validate_WhenBodyIdIsTheSameGuidSpelledDifferently_HasNoErrors()
    {
        var command = new CancelOrchRunCommand(TestData.Namespace, RunId, RunId.ToString("B").ToUpperInvariant());

        Assert.That(TestData.ErrorsOf(Validator, command), Is.Empty);
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_WhenBodyIdIsMissing_ReportsBodyId(string? bodyId)
    {
        var errors = TestData.ErrorsOf(Validator, new CancelOrchRunCommand(TestData.Namespace, RunId, bodyId));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "body.id" }));
    }

    [Test]
    public void Validate_WhenBodyIdDiffersFromThePathId_ReportsBodyId()
    {
        var errors = TestData.ErrorsOf(Validator, new CancelOrchRunCommand(TestData.Namespace, RunId, Guid.NewGuid().ToString()));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "body.id" }));
    }

    [Test]
    public void Validate_WhenBodyIdIsNotAGuid_ReportsBodyId()
    {
        var errors = TestData.ErrorsOf(Validator, new CancelOrchRunCommand(TestData.Namespace, RunId, "abc"));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "body.id" }));
    }
}
