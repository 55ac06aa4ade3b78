using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Commands;
using OrchRunService.Application.OrchRuns.Commands.Idempotency;
using OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.RerunOrchRun;

public class RerunOrchRunCommandHandlerTests
{
    private const int Limit = 20;
    private const string Rerunner = "bob";

    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<INamespaceTransaction> _transaction = null!;
    private Mock<ICurrentUser> _currentUser = null!;
    private Mock<IRunQueueSignal> _queueSignal = null!;
    private FakeTimeProvider _clock = null!;
    private List<string> _calls = null!;
    private OrchRun? _added;
    private RerunOrchRunCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _calls = [];
        _added = null;
        _transaction = new Mock<INamespaceTransaction>();
        _transaction.Setup(a => a.QueuedRuns).Returns(0);
        _transaction.Setup(a => a.CommitAsync(It.IsAny<CancellationToken>())).Callback(() => _calls.Add("commit")).Returns(Task.CompletedTask);
        _transaction.Setup(a => a.DisposeAsync()).Callback(() => _calls.Add("dispose")).Returns(ValueTask.CompletedTask);

        _runs = new Mock<IOrchRunRepository>();
        _runs.Setup(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_transaction.Object);
        _runs.Setup(r => r.Add(It.IsAny<OrchRun>())).Callback<OrchRun>(r =>
        {
            _added = r;
            _calls.Add("add");
        });

        _currentUser = new Mock<ICurrentUser>();
        _currentUser.Setup(u => u.UserId).Returns(Rerunner);
        _queueSignal = new Mock<IRunQueueSignal>();
        _queueSignal.Setup(s => s.RunQueued()).Callback(() => _calls.Add("signal"));
        _clock = TestData.NewClock();
        _clock.Advance(TimeSpan.FromHours(1));

        var enqueuer = new RunEnqueuer(
            _runs.Object, new IdempotencyGuard(Mock.Of<IIdempotencyStore>(MockBehavior.Strict), _runs.Object), new QueuedRunLimit(Limit), _queueSignal.Object);
        _handler = new RerunOrchRunCommandHandler(_runs.Object, _currentUser.Object, enqueuer, _clock);
    }

    private OrchRun Stored(OrchRunStatus status, int stepCount = 1)
    {
        var run = TestData.NewRun(status, TestData.NewOrchestrator(stepCount));
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        return run;
    }

    private static RerunOrchRunCommand Command(OrchRun source, string? fromStep = null) =>
        new(TestData.Namespace, source.Id, fromStep);

    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public async Task Handle_WhenTheRunFailedOrWasCancelled_AddsANewQueuedRunCommitsThenSignals(OrchRunStatus status)
    {
        var source = Stored(status);

        var dto = await _handler.Handle(Command(source), CancellationToken.None);

        Assert.That(_added, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Is.EqualTo(new[] { "add", "commit", "dispose", "signal" }));
            Assert.That(dto.Id, Is.EqualTo(_added!.Id).And.Not.EqualTo(source.Id));
            Assert.That(dto.RerunOfId, Is.EqualTo(source.Id));
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(dto.CreatedBy, Is.EqualTo(Rerunner));
            Assert.That(dto.CreatedAt, Is.EqualTo(_clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(dto.OrchestratorId, Is.EqualTo(source.OrchestratorId));
            Assert.That(_added.Namespace, Is.EqualTo(TestData.Namespace));
        }

        Assert.That(source.Status, Is.EqualTo(status), "the source run is not changed");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("failed")]
    [TestCase("FAILED")]
    public async Task Handle_WhenFromStepIsFailedOrAbsent_KeepsTheCompletedSteps(string? fromStep)
    {
        var source = FailedAtSecondStep();

        var dto = await _handler.Handle(Command(source, fromStep), CancellationToken.None);

        Assert.That(dto.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Completed, OrchRunStepStatus.Queued }));
    }

    [TestCase("first")]
    [TestCase("First")]
    public async Task Handle_WhenFromStepIsFirst_QueuesEveryStep(string fromStep)
    {
        var source = FailedAtSecondStep();

        var dto = await _handler.Handle(Command(source, fromStep), CancellationToken.None);

        Assert.That(dto.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
    }

    [Test]
    public async Task Handle_WhenTheRunIsNotInTheNamespace_ThrowsNotFoundWithoutOpeningTheNamespaceTransaction()
    {
        var command = new RerunOrchRunCommand(TestData.Namespace, Guid.NewGuid(), null);

        await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        _runs.Verify(r => r.BeginNamespaceTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [TestCase(OrchRunStatus.Queued)]
    [TestCase(OrchRunStatus.Running)]
    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Completed)]
    public async Task Handle_WhenTheRunIsNotFailedOrCancelled_ThrowsInvalidStateTransitionWithoutAdding(OrchRunStatus status)
    {
        var source = Stored(status);

        await Assert.ThrowsAsync<InvalidStateTransitionException>(() => _handler.Handle(Command(source, "first"), CancellationToken.None).AsTask());

        _runs.Verify(r => r.BeginNamespaceTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheQueueIsFull_ThrowsQueuedRunLimitExceededWithoutAddingCommittingOrSignalling()
    {
        var source = Stored(OrchRunStatus.Failed);
        _transaction.Setup(a => a.QueuedRuns).Returns(Limit);

        var ex = await Assert.ThrowsAsync<QueuedRunLimitExceededException>(() => _handler.Handle(Command(source), CancellationToken.None).AsTask());

        Assert.That(ex?.Limit, Is.EqualTo(Limit));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        _transaction.Verify(a => a.DisposeAsync(), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenOneRunBelowTheLimit_AdmitsTheRerun()
    {
        var source = Stored(OrchRunStatus.Cancelled);
        _transaction.Setup(a => a.QueuedRuns).Returns(Limit - 1);

        await _handler.Handle(Command(source), CancellationToken.None);

        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheCommitFails_DoesNotSignal()
    {
        var source = Stored(OrchRunStatus.Failed);
        _transaction.Setup(a => a.CommitAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _handler.Handle(Command(source), CancellationToken.None).AsTask());

        _transaction.Verify(a => a.DisposeAsync(), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenCalled_PassesTheCancellationTokenToThePorts()
    {
        var source = Stored(OrchRunStatus.Failed);
        using var cts = new CancellationTokenSource();

        await _handler.Handle(Command(source), cts.Token);

        _runs.Verify(r => r.FindAsync(source.Id, TestData.Namespace, cts.Token), Times.Once);
        _runs.Verify(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, cts.Token), Times.Once);
        _transaction.Verify(a => a.CommitAsync(cts.Token), Times.Once);
    }

    [TestCase(null, true, RerunFrom.Failed)]
    [TestCase("", true, RerunFrom.Failed)]
    [TestCase("failed", true, RerunFrom.Failed)]
    [TestCase("Failed", true, RerunFrom.Failed)]
    [TestCase("first", true, RerunFrom.First)]
    [TestCase("FIRST", true, RerunFrom.First)]
    [TestCase("last", false, null)]
    [TestCase(" first", false, null)]
    public void TryParseFrom_ReadsFailedOrFirstInAnyCase(string? text, bool ok, RerunFrom? expected)
    {
        var parsed = RerunOrchRunCommandHandler.TryParseFrom(text, out var from);

        Assert.That(parsed, Is.EqualTo(ok));
        if (ok)
        {
            Assert.That(from, Is.EqualTo(expected));
        }
    }

    /// <summary>Two steps, the first COMPLETED and the second FAILED; stored for the handler to find.</summary>
    private OrchRun FailedAtSecondStep()
    {
        var run = TestData.NewRun(OrchRunStatus.Running, TestData.NewOrchestrator(stepCount: 2));
        run.StartStep(run.Steps[0].Id, TestData.Now.AddSeconds(2));
        run.CompleteStep(run.Steps[0].Id, TestData.Now.AddSeconds(3));
        run.StartStep(run.Steps[1].Id, TestData.Now.AddSeconds(4));
        run.FailStep(run.Steps[1].Id, "boom", TestData.Now.AddSeconds(5));
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        return run;
    }
}
