using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.UpdateOrchestrator;

public class UpdateOrchestratorCommandHandlerTests
{
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private FakeTimeProvider _clock = null!;
    private Orchestrator _orchestrator = null!;
    private UpdateOrchestratorCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrator = TestData.NewOrchestrator(stepCount: 2);
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_orchestrator);
        _clock = TestData.NewClock();
        _handler = new UpdateOrchestratorCommandHandler(_orchestrators.Object, _clock);
    }

    private UpdateOrchestratorCommand Command(params OrchestratorStepInput[] steps) =>
        new(TestData.Namespace, _orchestrator.Id, _orchestrator.Id.ToString(), "Renamed", "new desc", "other", steps);

    [Test]
    public async Task Handle_WhenFound_ReplacesTheDefinitionKeepsNamedStepIdsAndSaves()
    {
        var kept = _orchestrator.Steps[1].Id;
        var dropped = _orchestrator.Steps[0].Id;
        _clock.Advance(TimeSpan.FromSeconds(1));

        var dto = await _handler.Handle(
            Command(TestData.StepInput(1, id: kept, name: "kept"), TestData.StepInput(2, name: "added")),
            CancellationToken.None);

        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(_orchestrator.Id));
            Assert.That(dto.Name, Is.EqualTo("Renamed"));
            Assert.That(dto.Description, Is.EqualTo("new desc"));
            Assert.That(dto.UserType, Is.EqualTo("other"));
            Assert.That(dto.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(dto.UpdatedAt, Is.EqualTo("1675164394072"));
            Assert.That(dto.Steps, Has.Count.EqualTo(2));
            Assert.That(dto.Steps[0].Id, Is.EqualTo(kept));
            Assert.That(dto.Steps[0].Name, Is.EqualTo("kept"));
            Assert.That(dto.Steps[1].Id, Is.Not.EqualTo(kept).And.Not.EqualTo(dropped).And.Not.EqualTo(Guid.Empty));
            Assert.That(dto.Steps[1].Name, Is.EqualTo("added"));
        }
    }

    [Test]
    public async Task Handle_WhenMissing_ThrowsNotFoundWithoutSaving()
    {
        var command = new UpdateOrchestratorCommand(TestData.Namespace, Guid.NewGuid(), null, "n", null, null, [TestData.StepInput(1)]);

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenInAnotherNamespace_ThrowsNotFound()
    {
        var command = new UpdateOrchestratorCommand("other_ns", _orchestrator.Id, null, "n", null, null, [TestData.StepInput(1)]);

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(_orchestrator.Name, Is.EqualTo("Test Instant Orch"));
    }

    [Test]
    public async Task Handle_WhenAStepIdIsUnknown_ThrowsDomainValidationExceptionWithoutSaving()
    {
        var ex = await Assert.ThrowsAsync<DomainValidationException>(
            () => _handler.Handle(Command(TestData.StepInput(1, id: Guid.NewGuid())), CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("Steps"));
        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.That(_orchestrator.UpdatedAt, Is.Null);
    }
}
