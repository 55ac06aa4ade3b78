using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRun;

public class GetOrchRunQueryHandlerTests
{
    private Mock<IOrchRunReadModel> _runs = null!;
    private GetOrchRunQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _runs = new Mock<IOrchRunReadModel>();
        _handler = new GetOrchRunQueryHandler(_runs.Object);
    }

    [Test]
    public async Task Handle_WhenFoundInTheNamespace_ReturnsTheRunWithItsSteps()
    {
        var run = TestData.NewRun(OrchRunStatus.Completed, TestData.NewOrchestrator(stepCount: 2));
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run.ToDto());

        var dto = await _handler.Handle(new GetOrchRunQuery(TestData.Namespace, run.Id), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(run.Id));
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(dto.Steps, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Handle_WhenMissing_ThrowsNotFound()
    {
        var id = Guid.NewGuid();
        _runs.Setup(r => r.FindAsync(id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((OrchRunDto?)null);

        var ex = await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new GetOrchRunQuery(TestData.Namespace, id), CancellationToken.None).AsTask());

        Assert.That(ex?.Message, Does.Contain(id.ToString()));
    }

    [Test]
    public async Task Handle_WhenTheRunIsInAnotherNamespace_ThrowsNotFound()
    {
        var run = TestData.NewRun();
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run.ToDto());

        await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new GetOrchRunQuery("other_ns", run.Id), CancellationToken.None).AsTask());

        _runs.Verify(r => r.FindAsync(run.Id, "other_ns", It.IsAny<CancellationToken>()), Times.Once);
    }
}
