using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.CancelOrchRun;

public class CancelOrchRunCommandHandlerTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<IRunCancellationSignal> _signal = null!;
    private CancelOrchRunCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _runs = new Mock<IOrchRunRepository>();
        _signal = new Mock<IRunCancellationSignal>();
        _handler = new CancelOrchRunCommandHandler(_runs.Object, _signal.Object, TestData.NewClock());
    }

    private static CancelOrchRunCommand Command() => new(TestData.Namespace, RunId, RunId.ToString());

    private void FindReturns(params OrchRun?[] reads)
    {
        var sequence = _runs.SetupSequence(r => r.FindAsync(RunId, TestData.Namespace, It.IsAny<CancellationToken>()));
        foreach (var run in reads)
        {
            sequence = sequence.ReturnsAsync(run);
        }
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Running)]
    public async Task Handle_WhenActive_SavesRequestCancelAndSignalsTheWorker(OrchRunStatus status)
    {
        var run = TestData.NewRun(status);
        FindReturns(run);

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(run.Id));
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
            Assert.That(dto.UpdatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        }

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        _signal.Verify(s => s.CancelRequested(run.Id), Times.Once);
    }

    [Test]
    public async Task Handle_WhenActive_SignalsOnlyAfterTheSave()
    {
        var calls = new List<string>();
        FindReturns(TestData.NewRun());
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => calls.Add("save")).Returns(Task.CompletedTask);
        _signal.Setup(s => s.CancelRequested(It.IsAny<Guid>())).Callback(() => calls.Add("signal"));

        await _handler.Handle(Command(), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(new[] { "save", "signal" }));
    }

    [Test]
    public async Task Handle_WhenCancelAlreadyRequested_ReturnsTheRunWithoutSavingOrSignalling()
    {
        var run = TestData.NewRun(OrchRunStatus.RequestCancel);
        FindReturns(run);

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheRunIsMissing_ThrowsNotFound()
    {
        FindReturns((OrchRun?)null);

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheRunIsInAnotherNamespace_ThrowsNotFound()
    {
        _runs.Setup(r => r.FindAsync(RunId, "other_ns", It.IsAny<CancellationToken>())).ReturnsAsync((OrchRun?)null);
        _runs.Setup(r => r.FindAsync(RunId, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(TestData.NewRun());

        await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new CancelOrchRunCommand("other_ns", RunId, RunId.ToString()), CancellationToken.None).AsTask());
    }

    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public async Task Handle_WhenTheRunHasFinished_ThrowsInvalidStateTransition(OrchRunStatus status)
    {
        FindReturns(TestData.NewRun(status));

        await Assert.ThrowsAsync<InvalidStateTransitionException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheSaveConflictsOnce_ReadsTheRunAgainAndRetries()
    {
        var stale = TestData.NewRun(OrchRunStatus.Queued);
        var fresh = TestData.NewRun(OrchRunStatus.Running);
        FindReturns(stale, fresh);
        _runs.SetupSequence(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException("changed"))
            .Returns(Task.CompletedTask);

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(fresh.Id));
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
            Assert.That(fresh.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        }

        _runs.Verify(r => r.FindAsync(RunId, TestData.Namespace, It.IsAny<CancellationToken>()), Times.Exactly(2));
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        _signal.Verify(s => s.CancelRequested(fresh.Id), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheSaveConflictsThreeTimes_RethrowsTheConflict()
    {
        FindReturns(TestData.NewRun(), TestData.NewRun(), TestData.NewRun(), TestData.NewRun());
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException("changed"));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(3));
        _runs.Verify(r => r.FindAsync(RunId, TestData.Namespace, It.IsAny<CancellationToken>()), Times.Exactly(3));
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheRunFinishedDuringTheConflict_ThrowsInvalidStateTransition()
    {
        FindReturns(TestData.NewRun(OrchRunStatus.Running), TestData.NewRun(OrchRunStatus.Completed));
        _runs.SetupSequence(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException("changed"))
            .Returns(Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidStateTransitionException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenSomeoneElseCancelledDuringTheConflict_ReturnsTheRunWithoutSavingAgain()
    {
        FindReturns(TestData.NewRun(OrchRunStatus.Queued), TestData.NewRun(OrchRunStatus.RequestCancel));
        _runs.SetupSequence(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException("changed"))
            .Returns(Task.CompletedTask);

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheRunWasDeletedDuringTheConflict_ThrowsNotFound()
    {
        FindReturns(TestData.NewRun(OrchRunStatus.Queued), null);
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException("removed"));

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheSaveFailsOtherwise_DoesNotRetry()
    {
        FindReturns(TestData.NewRun(), TestData.NewRun());
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }
}
