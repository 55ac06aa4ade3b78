using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Schedules.Firing;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;
using static OrchRunService.Application.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Application.UnitTests.Schedules;

public class ScheduleFirerTests
{
    private Mock<IScheduleRepository> _schedules = null!;
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<INamespaceTransaction> _transaction = null!;
    private Mock<IRunQueueSignal> _queueSignal = null!;
    private Mock<IRunCancellationSignal> _cancelSignal = null!;
    private FakeTimeProvider _clock = null!;
    private Orchestrator _orchestrator = null!;
    private List<ScheduleFire> _recorded = null!;
    private List<OrchRun> _added = null!;

    [SetUp]
    public void SetUp()
    {
        _recorded = [];
        _added = [];
        _orchestrator = TestData.NewOrchestrator();
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_orchestrator);
        _transaction = new Mock<INamespaceTransaction>();
        _runs = new Mock<IOrchRunRepository>();
        _runs.Setup(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_transaction.Object);
        _runs.Setup(r => r.Add(It.IsAny<OrchRun>())).Callback<OrchRun>(_added.Add);
        _schedules = new Mock<IScheduleRepository>();
        _schedules.Setup(s => s.AddFire(It.IsAny<ScheduleFire>())).Callback<ScheduleFire>(_recorded.Add);
        _schedules.Setup(s => s.ListActiveRunsAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _queueSignal = new Mock<IRunQueueSignal>();
        _cancelSignal = new Mock<IRunCancellationSignal>();
        _clock = TestData.NewClock();
    }

    private ScheduleFirer Firer(int queueLimit = 20) =>
        new(_schedules.Object, _orchestrators.Object, _runs.Object, new QueuedRunLimit(queueLimit), Settings(), _queueSignal.Object, _cancelSignal.Object, _clock);

    private Schedule Stored(OverlapPolicy overlap = OverlapPolicy.Skip, CatchupPolicy catchup = CatchupPolicy.None)
    {
        var schedule = NewSchedule(_orchestrator.Id, _clock.GetUtcNow(), overlap, catchup);
        _schedules.Setup(s => s.FindAsync(schedule.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(schedule);
        return schedule;
    }

    private Task<IReadOnlyList<ScheduleFire>> FireAsync(params Schedule[] schedules) =>
        Firer().FireDueSlotsAsync(TestData.Namespace, schedules.Select(s => s.Id).ToList(), CancellationToken.None);

    [Test]
    public async Task FireDueSlotsAsync_WhenASlotIsDue_AddsTheRunAndItsRecordCommitsAndWakesTheWorker()
    {
        var schedule = Stored();
        var slot = schedule.NextFireAt!.Value;
        _clock.SetUtcNow(slot.AddMilliseconds(40));

        await FireAsync(schedule);

        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added, Has.Count.EqualTo(1));
            Assert.That(_added[0].ScheduleId, Is.EqualTo(schedule.Id));
            Assert.That(_added[0].ScheduledFor, Is.EqualTo(slot));
            Assert.That(_added[0].CreatedBy, Is.EqualTo(TestData.UserId));
            Assert.That(_recorded.Select(f => (f.Slot, f.Outcome, f.RunId)), Is.EqualTo(new[] { (slot, FireOutcome.Fired, (Guid?)_added[0].Id) }));
            Assert.That(schedule.NextFireAt, Is.EqualTo(slot.AddMinutes(1)));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenNothingIsDue_CommitsNothing()
    {
        var schedule = Stored();

        var fires = await FireAsync(schedule);

        Assert.That(fires, Is.Empty);
        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTheScheduleWasDeleted_CommitsNothing()
    {
        var fires = await Firer().FireDueSlotsAsync(TestData.Namespace, [Guid.NewGuid()], CancellationToken.None);

        Assert.That(fires, Is.Empty);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenSkipAndARunOfTheScheduleIsActive_RecordsTheSkipWithoutARun()
    {
        var schedule = Stored(OverlapPolicy.Skip);
        _schedules.Setup(s => s.ListActiveRunsAsync(schedule.Id, It.IsAny<CancellationToken>())).ReturnsAsync([TestData.NewRun()]);
        _clock.SetUtcNow(schedule.NextFireAt!.Value);

        await FireAsync(schedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added, Is.Empty);
            Assert.That(_recorded.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.SkippedOverlap }));
            Assert.That(_recorded[0].Reason, Does.Contain("still"));
        }

        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenCancelPreviousAndARunIsActive_CancelsItSignalsAndFires()
    {
        var schedule = Stored(OverlapPolicy.CancelPrevious);
        var previous = TestData.NewRun(OrchRunStatus.Running);
        _schedules.Setup(s => s.ListActiveRunsAsync(schedule.Id, It.IsAny<CancellationToken>())).ReturnsAsync([previous]);
        _clock.SetUtcNow(schedule.NextFireAt!.Value);

        await FireAsync(schedule);

        _cancelSignal.Verify(s => s.CancelRequested(previous.Id), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(previous.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
            Assert.That(_recorded.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.Fired }));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTheQueueIsFull_RecordsTheRefusalWithoutARun()
    {
        var schedule = Stored(OverlapPolicy.Queue);
        _transaction.Setup(t => t.QueuedRuns).Returns(20);
        _clock.SetUtcNow(schedule.NextFireAt!.Value);

        await FireAsync(schedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added, Is.Empty);
            Assert.That(_recorded.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.RefusedQueueLimit }));
        }

        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenSlotsPassedWhileDownAndCatchupIsNone_RecordsThemMissedAndFiresTheCurrentOne()
    {
        var schedule = Stored(OverlapPolicy.Queue, CatchupPolicy.None);
        var first = schedule.NextFireAt!.Value;
        _clock.SetUtcNow(first.AddMinutes(4).AddSeconds(1));

        await FireAsync(schedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_recorded.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.Missed, FireOutcome.Missed, FireOutcome.Missed, FireOutcome.Missed, FireOutcome.Fired }));
            Assert.That(_recorded.Select(f => f.Slot), Is.EqualTo(Enumerable.Range(0, 5).Select(i => first.AddMinutes(i))));
            Assert.That(_added, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTheOrchestratorWasDeleted_RecordsAFailure()
    {
        var schedule = Stored();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((Orchestrator?)null);
        _clock.SetUtcNow(schedule.NextFireAt!.Value);

        await FireAsync(schedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_recorded.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.Failed }));
            Assert.That(_recorded[0].Reason, Does.Contain("no longer exists"));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTwoSchedulesAreDue_HandlesBothInOneCommit()
    {
        var a = Stored();
        var b = Stored();
        _clock.SetUtcNow(a.NextFireAt!.Value);

        await FireAsync(a, b);

        _runs.Verify(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>()), Times.Once);
        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.That(_added.Select(r => r.ScheduleId), Is.EquivalentTo(new[] { a.Id, b.Id }));
    }
}
