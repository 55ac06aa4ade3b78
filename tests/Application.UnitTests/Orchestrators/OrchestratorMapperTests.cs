using System.Text.Json;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators;

public class OrchestratorMapperTests
{
    [Test]
    public void ToDto_WhenNew_MapsTheDefinitionToItsWireFields()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":3}""");

        var dto = orchestrator.ToDto();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(orchestrator.Id));
            Assert.That(dto.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(dto.Description, Is.EqualTo("Test Instant Orch description"));
            Assert.That(dto.UserType, Is.EqualTo("test_instant"));
            Assert.That(dto.Namespaces, Is.EqualTo(new[] { TestData.Namespace }));
            Assert.That(dto.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(dto.UpdatedAt, Is.Null);
            Assert.That(dto.Steps.Select(s => s.Id), Is.EqualTo(orchestrator.Steps.Select(s => s.Id)));
            Assert.That(dto.Steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(dto.Steps.Select(s => s.ComponentId), Is.All.EqualTo(TestData.TestConnectorId));
            Assert.That(dto.Steps[0].Params.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(dto.Steps[0].Params.GetProperty("iterations").GetInt32(), Is.EqualTo(3));
        }
    }

    [Test]
    public void ToDto_WhenUpdated_CarriesUpdatedAt()
    {
        var orchestrator = TestData.NewOrchestrator();
        orchestrator.Update("n", null, null, [new OrchestratorStepDefinition(null, "s", TestData.TestConnectorId, 1, TestData.Params("{}"))], TestData.Now.AddSeconds(1));

        Assert.That(orchestrator.ToDto().UpdatedAt, Is.EqualTo("1675164394072"));
    }

    [Test]
    public void ToDto_WhenSerialized_WritesParamsAsAnObjectAndOmitsAnAbsentUpdatedAt()
    {
        var json = JsonSerializer.Serialize(TestData.NewOrchestrator(paramsJson: """{"iterations":0}""").ToDto());

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var step = root.GetProperty("steps")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                root.EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "id", "_name", "_description", "_namespaces", "_usertype", "_createdat", "steps" }));
            Assert.That(step.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "_name", "_compid", "_sequenceno", "_params", "_retries", "_retryDelayMs" }));
            Assert.That(step.GetProperty("_params").GetRawText(), Is.EqualTo("""{"iterations":0}"""));
        }
    }
}
