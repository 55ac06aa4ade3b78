using Moq;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Queries.ListOrchestrators;

public class ListOrchestratorsQueryHandlerTests
{
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private ListOrchestratorsQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.ListAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedResult<Orchestrator>([], 0));
        _handler = new ListOrchestratorsQueryHandler(_orchestrators.Object);
    }

    [Test]
    public async Task Handle_WhenNoPaging_AsksForTheFirstTwenty()
    {
        var page = await _handler.Handle(new ListOrchestratorsQuery(TestData.Namespace, null, null), CancellationToken.None);

        _orchestrators.Verify(o => o.ListAsync(TestData.Namespace, 0, 20, It.IsAny<CancellationToken>()), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Offset, Is.Zero);
            Assert.That(page.PageSize, Is.EqualTo(20));
        }
    }

    [Test]
    public async Task Handle_WhenTheRepositoryAnswers_ReturnsTheEnvelope()
    {
        var first = TestData.NewOrchestrator();
        var second = TestData.NewOrchestrator();
        _orchestrators.Setup(o => o.ListAsync(TestData.Namespace, 2, 2, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedResult<Orchestrator>([first, second], 7));

        var page = await _handler.Handle(new ListOrchestratorsQuery(TestData.Namespace, 2, 2), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Offset, Is.EqualTo(2));
            Assert.That(page.PageSize, Is.EqualTo(2));
            Assert.That(page.Total, Is.EqualTo(7));
            Assert.That(page.List.Select(o => o.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        }
    }
}
