using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.DeleteOrchRun;

public class DeleteOrchRunCommandHandlerTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<IRunCancellationSignal> _signal = null!;
    private DeleteOrchRunCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _runs = new Mock<IOrchRunRepository>();
        _signal = new Mock<IRunCancellationSignal>();
        _handler = new DeleteOrchRunCommandHandler(_runs.Object, _signal.Object);
    }

    private static DeleteOrchRunCommand Command() => new(TestData.Namespace, RunId);

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
    [TestCase(OrchRunStatus.Completed)]
    public async Task Handle_WhenFound_RemovesSavesAndSignalsTheWorker(OrchRunStatus status)
    {
        var run = TestData.NewRun(status);
        var calls = new List<string>();
        FindReturns(run);
        _runs.Setup(r => r.Remove(run)).Callback(() => calls.Add("remove"));
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => calls.Add("save")).Returns(Task.CompletedTask);
        _signal.Setup(s => s.CancelRequested(RunId)).Callback(() => calls.Add("signal"));

        await _handler.Handle(Command(), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(new[] { "remove", "save", "signal" }));
        _runs.Verify(r => r.Remove(run), Times.Once);
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        _signal.Verify(s => s.CancelRequested(RunId), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheRunIsMissing_ThrowsNotFoundWithoutRemoving()
    {
        FindReturns((OrchRun?)null);

        var ex = await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        Assert.That(ex?.Message, Does.Contain(RunId.ToString()));
        _runs.Verify(r => r.Remove(It.IsAny<OrchRun>()), Times.Never);
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheSaveConflictsOnce_RemovesTheFreshCopyAndRetries()
    {
        var stale = TestData.NewRun(OrchRunStatus.Queued);
        var fresh = TestData.NewRun(OrchRunStatus.Running);
        FindReturns(stale, fresh);
        _runs.SetupSequence(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException("changed"))
            .Returns(Task.CompletedTask);

        await _handler.Handle(Command(), CancellationToken.None);

        _runs.Verify(r => r.Remove(stale), Times.Once);
        _runs.Verify(r => r.Remove(fresh), Times.Once);
        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        _signal.Verify(s => s.CancelRequested(RunId), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheSaveConflictsThreeTimes_RethrowsTheConflict()
    {
        FindReturns(TestData.NewRun(), TestData.NewRun(), TestData.NewRun(), TestData.NewRun());
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException("changed"));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(3));
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheRunWasDeletedDuringTheConflict_ThrowsNotFound()
    {
        FindReturns(TestData.NewRun(), null);
        _runs.Setup(r => r.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrencyConflictException("removed"));

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _runs.Verify(r => r.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        _signal.Verify(s => s.CancelRequested(It.IsAny<Guid>()), Times.Never);
    }
}
