using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.DeleteOrchestrator;

public class DeleteOrchestratorCommandHandlerTests
{
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private DeleteOrchestratorCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrators = new Mock<IOrchestratorRepository>();
        _handler = new DeleteOrchestratorCommandHandler(_orchestrators.Object);
    }

    [Test]
    public async Task Handle_WhenFound_RemovesAndSaves()
    {
        var orchestrator = TestData.NewOrchestrator();
        var calls = new List<string>();
        _orchestrators.Setup(o => o.FindAsync(orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(orchestrator);
        _orchestrators.Setup(o => o.Remove(orchestrator)).Callback(() => calls.Add("remove"));
        _orchestrators.Setup(o => o.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => calls.Add("save")).Returns(Task.CompletedTask);

        await _handler.Handle(new DeleteOrchestratorCommand(TestData.Namespace, orchestrator.Id), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(new[] { "remove", "save" }));
    }

    [Test]
    public async Task Handle_WhenMissing_ThrowsNotFoundWithoutRemoving()
    {
        var id = Guid.NewGuid();
        _orchestrators.Setup(o => o.FindAsync(id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((Orchestrator?)null);

        var ex = await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new DeleteOrchestratorCommand(TestData.Namespace, id), CancellationToken.None).AsTask());

        Assert.That(ex?.Resource, Is.EqualTo("Orchestrator"));
        _orchestrators.Verify(o => o.Remove(It.IsAny<Orchestrator>()), Times.Never);
        _orchestrators.Verify(o => o.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }
}
