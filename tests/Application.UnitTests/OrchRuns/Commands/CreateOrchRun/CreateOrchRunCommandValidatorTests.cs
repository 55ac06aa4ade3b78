using OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;
using OrchRunService.Domain.Common;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.CreateOrchRun;

public class CreateOrchRunCommandValidatorTests
{
    private static readonly Guid OrchestratorId = Guid.NewGuid();

    private readonly CreateOrchRunCommandValidator _validator = new();

    private IReadOnlyDictionary<string, string[]> ErrorsOf(CreateOrchRunCommand command) => TestData.ErrorsOf(_validator, command);

    [Test]
    public void Validate_WhenValid_HasNoErrors()
    {
        var command = new CreateOrchRunCommand(
            TestData.Namespace,
            OrchestratorId,
            [
                new ActualParamInput(Guid.NewGuid().ToString(), TestData.Json("""{"iterations":0}""")),
                new ActualParamInput(Guid.NewGuid().ToString(), null),
                new ActualParamInput(Guid.NewGuid().ToString(), TestData.Json("null")),
            ]);

        Assert.That(ErrorsOf(command), Is.Empty);
    }

    [Test]
    public void Validate_WhenActualParamsIsEmpty_HasNoErrors()
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, [])), Is.Empty);
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("semi;colon")]
    public void Validate_WhenNamespaceIsInvalid_ReportsNsfilter(string @namespace)
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(@namespace, OrchestratorId, [])).Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }

    [Test]
    public void Validate_WhenOrchestratorIdIsMissing_ReportsOrchestratorId()
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, null, [])).Keys, Is.EquivalentTo(new[] { "orchestratorId" }));
    }

    [Test]
    public void Validate_WhenActualParamsIsMissing_ReportsActualParams()
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, null)).Keys, Is.EquivalentTo(new[] { "_actualparams" }));
    }

    [TestCase(CreateOrchRunCommandValidator.MaxActualParams, false)]
    [TestCase(CreateOrchRunCommandValidator.MaxActualParams + 1, true)]
    public void Validate_WhenActualParamsHasManyEntries_ReportsOnlyBeyondTheMaximum(int count, bool reported)
    {
        var entries = Enumerable.Range(0, count).Select(_ => new ActualParamInput(Guid.NewGuid().ToString(), null)).ToList();

        var errors = ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, entries));

        Assert.That(errors.ContainsKey("_actualparams"), Is.EqualTo(reported));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_WhenAnEntryHasNoSequenceTypeId_ReportsThatEntry(string? sequenceTypeId)
    {
        var command = new CreateOrchRunCommand(
            TestData.Namespace,
            OrchestratorId,
            [new ActualParamInput(Guid.NewGuid().ToString(), null), new ActualParamInput(sequenceTypeId, null)]);

        Assert.That(ErrorsOf(command).Keys, Is.EquivalentTo(new[] { "_actualparams[1].sequence_type_id" }));
    }

    [TestCase("[1,2]")]
    [TestCase("1")]
    [TestCase("\"text\"")]
    [TestCase("true")]
    public void Validate_WhenAnEntrysParamsAreNotAnObject_ReportsThatEntrysParams(string json)
    {
        var command = new CreateOrchRunCommand(
            TestData.Namespace,
            OrchestratorId,
            [new ActualParamInput(Guid.NewGuid().ToString(), TestData.Json(json))]);

        Assert.That(ErrorsOf(command).Keys, Is.EquivalentTo(new[] { "_actualparams[0].params" }));
    }

    [TestCase("""{"\ud800":1}""")]
    [TestCase("""{"a":{"b":[{"\udc00":1}]}}""")]
    [TestCase("""{"a":{"b":"x\uDBFF"}}""")]
    public void Validate_WhenAnEntrysParamsHoldAnUnpairedSurrogate_ReportsThatEntrysParams(string json)
    {
        var command = new CreateOrchRunCommand(
            TestData.Namespace,
            OrchestratorId,
            [new ActualParamInput(Guid.NewGuid().ToString(), TestData.Json("{}")), new ActualParamInput(Guid.NewGuid().ToString(), TestData.Json(json))]);

        var errors = ErrorsOf(command);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "_actualparams[1].params" }));
        Assert.That(errors["_actualparams[1].params"], Is.EqualTo(new[] { StepParameters.UnpairedSurrogateMessage }));
    }

    [Test]
    public void Validate_WhenSeveralFieldsAreWrong_ReportsEachField()
    {
        var command = new CreateOrchRunCommand("", null, [new ActualParamInput(null, TestData.Json("[]"))]);

        Assert.That(
            ErrorsOf(command).Keys,
            Is.EquivalentTo(new[] { "nsfilter", "orchestratorId", "_actualparams[0].sequence_type_id", "_actualparams[0].params" }));
    }

    [TestCase("a")]
    [TestCase("create-7f3a")]
    [TestCase("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")]
    public void Validate_WhenIdempotencyKeyIsVisibleAscii_HasNoErrors(string key)
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, [], key)), Is.Empty);
    }

    [Test]
    public void Validate_WhenIdempotencyKeyIsAbsent_HasNoErrors()
    {
        Assert.That(ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, [], null)), Is.Empty);
    }

    [TestCase(CreateOrchRunCommandValidator.MaxIdempotencyKeyLength, false)]
    [TestCase(CreateOrchRunCommandValidator.MaxIdempotencyKeyLength + 1, true)]
    public void Validate_WhenIdempotencyKeyIsLong_ReportsOnlyBeyond200Characters(int length, bool reported)
    {
        var errors = ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, [], new string('k', length)));

        Assert.That(errors.ContainsKey("Idempotency-Key"), Is.EqualTo(reported));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("tab\there")]
    [TestCase("new\nline")]
    [TestCase("caf\u00e9")]
    [TestCase("\u0000")]
    [TestCase("del\u007f")]
    public void Validate_WhenIdempotencyKeyHasSomethingOtherThanVisibleAscii_ReportsIdempotencyKey(string key)
    {
        var errors = ErrorsOf(new CreateOrchRunCommand(TestData.Namespace, OrchestratorId, [], key));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "Idempotency-Key" }));
        Assert.That(errors["Idempotency-Key"], Is.EqualTo(new[] { "Idempotency-Key must be 1-200 visible ASCII characters." }));
    }
}
