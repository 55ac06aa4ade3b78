using Moq;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.ListOrchRuns;

public class ListOrchRunsQueryHandlerTests
{
    private Mock<IOrchRunReadModel> _runs = null!;
    private OrchRunListFilter? _filter;
    private ListOrchRunsQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _filter = null;
        _runs = new Mock<IOrchRunReadModel>();
        _runs.Setup(r => r.ListAsync(It.IsAny<OrchRunListFilter>(), It.IsAny<CancellationToken>()))
            .Callback<OrchRunListFilter, CancellationToken>((f, _) => _filter = f)
            .ReturnsAsync(new PagedResult<OrchRunDto>([], 0));
        _handler = new ListOrchRunsQueryHandler(_runs.Object);
    }

    private static ListOrchRunsQuery Query(int? pageSize = null, int? offset = null, string? status = null, string? startDate = null, string? endDate = null) =>
        new(TestData.Namespace, pageSize, offset, status, startDate, endDate);

    [Test]
    public async Task Handle_WhenNoParameters_AsksForTheFirstTwentyRunsOfEveryStatus()
    {
        await _handler.Handle(Query(), CancellationToken.None);

        Assert.That(_filter, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_filter!.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(_filter.Offset, Is.Zero);
            Assert.That(_filter.PageSize, Is.EqualTo(20));
            Assert.That(_filter.Statuses, Is.Empty);
            Assert.That(_filter.CreatedFrom, Is.Null);
            Assert.That(_filter.CreatedUntil, Is.Null);
        }
    }

    [Test]
    public async Task Handle_WhenPagingGiven_PassesIt()
    {
        await _handler.Handle(Query(pageSize: 5, offset: 10), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_filter?.PageSize, Is.EqualTo(5));
            Assert.That(_filter?.Offset, Is.EqualTo(10));
        }
    }

    [Test]
    public async Task Handle_WhenStatusesGivenAsAList_PassesEachCaseInsensitively()
    {
        await _handler.Handle(Query(status: "queued, Running,REQUEST_CANCEL"), CancellationToken.None);

        Assert.That(_filter?.Statuses, Is.EquivalentTo(new[] { OrchRunStatus.Queued, OrchRunStatus.Running, OrchRunStatus.RequestCancel }));
    }

    [Test]
    public async Task Handle_WhenStatusIsEmpty_TreatsItAsAbsent()
    {
        await _handler.Handle(Query(status: ""), CancellationToken.None);

        Assert.That(_filter?.Statuses, Is.Empty);
    }

    [Test]
    public async Task Handle_WhenDatesAreDateOnly_StartsAtMidnightAndEndsAfterTheWholeEndDay()
    {
        await _handler.Handle(Query(startDate: "2023-01-30", endDate: "2023-01-31"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_filter?.CreatedFrom, Is.EqualTo(new DateTimeOffset(2023, 1, 30, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(_filter?.CreatedUntil, Is.EqualTo(new DateTimeOffset(2023, 2, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1)));
            Assert.That(_filter?.CreatedUntil, Is.GreaterThan(new DateTimeOffset(2023, 1, 31, 23, 59, 59, 999, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task Handle_WhenDatesAreEpochMilliseconds_PassesThoseInstants()
    {
        await _handler.Handle(Query(startDate: "1675164393072", endDate: "1675164428003"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_filter?.CreatedFrom, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1675164393072)));
            Assert.That(_filter?.CreatedUntil, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1675164428003)));
        }
    }

    [Test]
    public async Task Handle_WhenDatesAreIsoWithOffsets_PassesTheInstantsInUtc()
    {
        await _handler.Handle(Query(startDate: "2023-01-31T10:00:00+02:00", endDate: "2023-01-31T12:30:00Z"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_filter?.CreatedFrom, Is.EqualTo(new DateTimeOffset(2023, 1, 31, 8, 0, 0, TimeSpan.Zero)));
            Assert.That(_filter?.CreatedFrom?.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_filter?.CreatedUntil, Is.EqualTo(new DateTimeOffset(2023, 1, 31, 12, 30, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task Handle_WhenTheReadModelAnswers_ReturnsTheEnvelopeWithTheRunsInOrder()
    {
        var newer = TestData.NewRun(OrchRunStatus.Running);
        var older = TestData.NewRun(OrchRunStatus.Completed);
        _runs.Setup(r => r.ListAsync(It.IsAny<OrchRunListFilter>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedResult<OrchRunDto>([newer.ToDto(), older.ToDto()], 42));

        var page = await _handler.Handle(Query(pageSize: 2, offset: 4), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Offset, Is.EqualTo(4));
            Assert.That(page.PageSize, Is.EqualTo(2));
            Assert.That(page.Total, Is.EqualTo(42));
            Assert.That(page.List.Select(r => r.Id), Is.EqualTo(new[] { newer.Id, older.Id }));
            Assert.That(page.List.Select(r => r.Status), Is.EqualTo(new[] { OrchRunStatus.Running, OrchRunStatus.Completed }));
        }
    }

    [Test]
    public async Task Handle_WhenThePageIsBeyondTheEnd_ReturnsAnEmptyListWithTheTotal()
    {
        _runs.Setup(r => r.ListAsync(It.IsAny<OrchRunListFilter>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedResult<OrchRunDto>([], 3));

        var page = await _handler.Handle(Query(offset: 100), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.List, Is.Empty);
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That(page.Offset, Is.EqualTo(100));
            Assert.That(page.PageSize, Is.EqualTo(20));
        }
    }

    [Test]
    public async Task Handle_WhenOrchestratorIdGiven_PassesItAsAGuid()
    {
        var orchestrator = Guid.NewGuid();

        await _handler.Handle(new ListOrchRunsQuery(TestData.Namespace, null, null, null, null, null, orchestrator), CancellationToken.None);

        Assert.That(_filter?.OrchestratorId, Is.EqualTo(orchestrator));
    }
}
