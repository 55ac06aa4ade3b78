using System.Text.Json;
using Moq;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.CreateOrchestrator;

public class CreateOrchestratorCommandHandlerTests
{
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private Orchestrator? _added;
    private CreateOrchestratorCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _added = null;
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.Add(It.IsAny<Orchestrator>())).Callback<Orchestrator>(o => _added = o);
        _handler = new CreateOrchestratorCommandHandler(_orchestrators.Object, TestData.NewClock());
    }

    [Test]
    public async Task Handle_WhenValid_AddsSavesAndReturnsTheDefinitionWithIds()
    {
        var command = new CreateOrchestratorCommand(
            TestData.Namespace,
            " Nightly ",
            "desc",
            "test_instant",
            [TestData.StepInput(1, paramsJson: """{"iterations":0}"""), TestData.StepInput(2, name: " second ")]);

        var dto = await _handler.Handle(command, CancellationToken.None);

        _orchestrators.Verify(o => o.Add(It.IsAny<Orchestrator>()), Times.Once);
        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.That(_added, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(_added!.Id).And.Not.EqualTo(Guid.Empty));
            Assert.That(dto.Name, Is.EqualTo("Nightly"));
            Assert.That(dto.Description, Is.EqualTo("desc"));
            Assert.That(dto.UserType, Is.EqualTo("test_instant"));
            Assert.That(dto.Namespaces, Is.EqualTo(new[] { TestData.Namespace }));
            Assert.That(dto.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(dto.UpdatedAt, Is.Null);
            Assert.That(dto.Steps.Select(s => s.Id), Is.Unique.And.Not.Contains(Guid.Empty));
            Assert.That(dto.Steps.Select(s => s.Name), Is.EqualTo(new[] { "test_connector", "second" }));
            Assert.That(dto.Steps.Select(s => s.ComponentId), Is.All.EqualTo(TestData.TestConnectorId));
            Assert.That(dto.Steps[0].Params.GetRawText(), Is.EqualTo("""{"iterations":0}"""));
            Assert.That(dto.Steps[1].Params.ValueKind, Is.EqualTo(JsonValueKind.Object));
        }
    }

    [Test]
    public async Task Handle_WhenStepsHaveNoSequenceNumbers_NumbersThemByPosition()
    {
        var command = new CreateOrchestratorCommand(TestData.Namespace, "n", null, null, [TestData.StepInput(name: "a"), TestData.StepInput(name: "b")]);

        var dto = await _handler.Handle(command, CancellationToken.None);

        Assert.That(dto.Steps.Select(s => (s.Name, s.SequenceNo)), Is.EqualTo(new[] { ("a", 1), ("b", 2) }));
    }

    [Test]
    public async Task Handle_WhenSequenceNumbersRepeat_ThrowsDomainValidationExceptionWithoutSaving()
    {
        var command = new CreateOrchestratorCommand(TestData.Namespace, "n", null, null, [TestData.StepInput(1), TestData.StepInput(1)]);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("Steps"));
        _orchestrators.Verify(o => o.Add(It.IsAny<Orchestrator>()), Times.Never);
        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenStepParamsRepeatAKey_ThrowsDomainValidationExceptionForThatStep()
    {
        var command = new CreateOrchestratorCommand(
            TestData.Namespace, "n", null, null, [TestData.StepInput(1), TestData.StepInput(2, paramsJson: """{"a":1,"a":2}""")]);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("Steps[1].Params"));
        _orchestrators.Verify(o => o.Add(It.IsAny<Orchestrator>()), Times.Never);
    }
}
