using OrchRunService.Application.Orchestrators;
using OrchRunService.Domain.Common;

namespace OrchRunService.Application.UnitTests.Orchestrators;

public class OrchestratorDefinitionRulesTests
{
    [Test]
    public void ToDefinitions_WhenStepsAreComplete_ConvertsEachField()
    {
        var id = Guid.NewGuid();

        var definitions = OrchestratorDefinitionRules.ToDefinitions(
            [new OrchestratorStepInput(id, "  step one ", Guid.Parse(TestData.TestConnector), 7, TestData.Json("""{ "a" : 1 }"""))]);

        var definition = definitions.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(definition.Id, Is.EqualTo(id));
            Assert.That(definition.Name, Is.EqualTo("step one"));
            Assert.That(definition.ComponentId, Is.EqualTo(TestData.TestConnectorId));
            Assert.That(definition.SequenceNo, Is.EqualTo(7));
            Assert.That(definition.Params.Json, Is.EqualTo("""{"a":1}"""));
        }
    }

    [Test]
    public void ToDefinitions_WhenSequenceNumbersAndParamsAreAbsent_UsesPositionAndTheEmptyObject()
    {
        var definitions = OrchestratorDefinitionRules.ToDefinitions([TestData.StepInput(), TestData.StepInput(), TestData.StepInput(10)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(definitions.Select(d => d.SequenceNo), Is.EqualTo(new[] { 1, 2, 10 }));
            Assert.That(definitions.Select(d => d.Id), Is.All.Null);
            Assert.That(definitions.Select(d => d.Params), Is.All.SameAs(StepParameters.Empty));
        }
    }

    [Test]
    public void ToDefinitions_WhenParamsAreInvalid_NamesTheStepsParamsField()
    {
        Assert.That(
            () => OrchestratorDefinitionRules.ToDefinitions([TestData.StepInput(1), TestData.StepInput(2, paramsJson: """{"a":1,"a":1}""")]),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Steps[1].Params"));
    }
}
