using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Queries.GetOrchestrator;

public class GetOrchestratorQueryHandlerTests
{
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private GetOrchestratorQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrators = new Mock<IOrchestratorRepository>();
        _handler = new GetOrchestratorQueryHandler(_orchestrators.Object);
    }

    [Test]
    public async Task Handle_WhenFound_ReturnsTheDefinition()
    {
        var orchestrator = TestData.NewOrchestrator(stepCount: 3);
        _orchestrators.Setup(o => o.FindAsync(orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(orchestrator);

        var dto = await _handler.Handle(new GetOrchestratorQuery(TestData.Namespace, orchestrator.Id), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(orchestrator.Id));
            Assert.That(dto.Steps.Select(s => s.Id), Is.EqualTo(orchestrator.Steps.Select(s => s.Id)));
        }
    }

    [Test]
    public async Task Handle_WhenMissing_ThrowsNotFound()
    {
        var id = Guid.NewGuid();
        _orchestrators.Setup(o => o.FindAsync(id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((Orchestrator?)null);

        var ex = await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new GetOrchestratorQuery(TestData.Namespace, id), CancellationToken.None).AsTask());

        Assert.That(ex?.Message, Does.Contain(id.ToString()));
    }
}
