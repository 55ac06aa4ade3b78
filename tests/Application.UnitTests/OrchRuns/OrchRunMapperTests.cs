using System.Text.Json;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns;

public class OrchRunMapperTests
{
    [Test]
    public void ToDto_WhenNew_MapsTheRunToItsWireFields()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2);
        var run = OrchRun.Create(orchestrator, [], TestData.UserId, TestData.Now);

        var dto = run.ToDto();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(run.Id));
            Assert.That(dto.OrchestratorId, Is.EqualTo(orchestrator.Id));
            Assert.That(dto.Name, Is.EqualTo("Test Instant Orch"));
            Assert.That(dto.Description, Is.EqualTo("Test Instant Orch description"));
            Assert.That(dto.Namespaces, Is.EqualTo(new[] { TestData.Namespace }));
            Assert.That(dto.UserType, Is.EqualTo("test_instant"));
            Assert.That(dto.CreatedBy, Is.EqualTo(TestData.UserId));
            Assert.That(dto.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(dto.UpdatedAt, Is.Null);
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(dto.Result, Is.Empty);
            Assert.That(dto.Steps, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public void ToDto_WhenTheRunHasChanged_CarriesUpdatedAtAsEpochMilliseconds()
    {
        var run = TestData.NewRun();
        run.RequestCancel(TestData.Now.AddMilliseconds(1500));

        var dto = run.ToDto();

        Assert.That(dto.UpdatedAt, Is.EqualTo("1675164394572"));
    }

    [Test]
    public void ToDto_WhenTheRunFailed_CarriesTheResult()
    {
        var dto = TestData.NewRun(OrchRunStatus.Failed).ToDto();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.Failed));
            Assert.That(dto.Result, Does.Contain("boom"));
            Assert.That(dto.Steps[0].StatusMessage, Is.EqualTo("boom"));
            Assert.That(dto.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
        }
    }

    [Test]
    public void ToDto_WhenStepsHaveParameters_WritesThemAsJsonText()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":10}""");
        var run = OrchRun.Create(
            orchestrator,
            [new ActualStepParameters(orchestrator.Steps[0].Id.ToString(), TestData.Params("""{"intervalMs":0}"""))],
            TestData.UserId,
            TestData.Now);

        var steps = run.ToDto().Steps;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps[0].ActualParams, Is.EqualTo("""{"intervalMs":0}"""));
            Assert.That(steps[0].RunParams, Is.EqualTo("""{"iterations":10,"intervalMs":0}"""));
            Assert.That(steps[1].ActualParams, Is.EqualTo("{}"));
            Assert.That(steps[1].RunParams, Is.EqualTo("""{"iterations":10}"""));
        }
    }

    [Test]
    public void ToDto_ForEachStep_MapsItsIdentityAndOrder()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 3);
        var run = OrchRun.Create(orchestrator, [], TestData.UserId, TestData.Now);

        var steps = run.ToDto().Steps;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps.Select(s => s.Id), Is.EqualTo(run.Steps.Select(s => s.Id)));
            Assert.That(steps.Select(s => s.OrchestratorStepId), Is.EqualTo(orchestrator.Steps.Select(s => s.Id)));
            Assert.That(steps.Select(s => s.SequenceNo), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(steps.Select(s => s.Name), Is.EqualTo(new[] { "test_connector_1", "test_connector_2", "test_connector_3" }));
            Assert.That(steps.Select(s => s.RunId), Is.All.EqualTo(run.Id));
            Assert.That(steps.Select(s => s.ComponentId), Is.All.EqualTo(TestData.TestConnectorId));
            Assert.That(steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(steps.Select(s => s.StatusMessage), Is.All.Empty);
        }
    }

    [Test]
    public void ToDto_WhenSerialized_UsesTheSeedsPropertyNamesAndOmitsAnAbsentUpdatedAt()
    {
        var json = JsonSerializer.Serialize(TestData.NewRun().ToDto());

        using var document = JsonDocument.Parse(json);
        var run = document.RootElement;
        var step = run.GetProperty("orchrunsteps")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                run.EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "id", "_orchid", "_name", "_description", "_namespaces", "_usertype", "_createdby", "_createdat", "_status", "_result", "orchrunsteps" }));
            Assert.That(
                step.EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "id", "_name", "orchstepid", "_compid", "_orchrunid", "_actualparams", "_sequenceno", "_runparams", "_status", "_statusmsg" }));
            Assert.That(run.GetProperty("_createdat").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(step.GetProperty("_actualparams").GetString(), Is.EqualTo("{}"));
            Assert.That(step.GetProperty("_runparams").GetString(), Is.EqualTo("{}"));
        }
    }

    [Test]
    public void ToDto_WhenSerializedAfterAChange_IncludesUpdatedAtAsAString()
    {
        var json = JsonSerializer.Serialize(TestData.NewRun(OrchRunStatus.Running).ToDto());

        using var document = JsonDocument.Parse(json);

        Assert.That(document.RootElement.GetProperty("_updatedat").GetString(), Is.EqualTo("1675164394072"));
    }
}
