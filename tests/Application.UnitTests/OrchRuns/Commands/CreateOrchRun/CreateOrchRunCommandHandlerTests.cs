using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns.Commands;
using OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;
using OrchRunService.Application.OrchRuns.Commands.Idempotency;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.CreateOrchRun;

public class CreateOrchRunCommandHandlerTests
{
    private const int Limit = 20;

    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<IIdempotencyStore> _idempotency = null!;
    private Mock<INamespaceTransaction> _transaction = null!;
    private Mock<ICurrentUser> _currentUser = null!;
    private Mock<IRunQueueSignal> _queueSignal = null!;
    private FakeTimeProvider _clock = null!;
    private Orchestrator _orchestrator = null!;
    private List<string> _calls = null!;
    private CreateOrchRunCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _calls = [];
        _orchestrator = TestData.NewOrchestrator(stepCount: 2, paramsJson: """{"iterations":10,"intervalMs":6000}""");
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_orchestrator);

        _transaction = new Mock<INamespaceTransaction>();
        _transaction.Setup(a => a.QueuedRuns).Returns(0);
        _transaction.Setup(a => a.CommitAsync(It.IsAny<CancellationToken>())).Callback(() => _calls.Add("commit")).Returns(Task.CompletedTask);
        _transaction.Setup(a => a.DisposeAsync()).Callback(() => _calls.Add("dispose")).Returns(ValueTask.CompletedTask);

        _runs = new Mock<IOrchRunRepository>();
        _runs.Setup(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_transaction.Object);
        _runs.Setup(r => r.Add(It.IsAny<OrchRun>())).Callback(() => _calls.Add("add"));

        _idempotency = new Mock<IIdempotencyStore>();
        _currentUser = new Mock<ICurrentUser>();
        _currentUser.Setup(u => u.UserId).Returns(TestData.UserId);
        _queueSignal = new Mock<IRunQueueSignal>();
        _queueSignal.Setup(s => s.RunQueued()).Callback(() => _calls.Add("signal"));
        _clock = TestData.NewClock();

        _handler = Handler(new FakeConnectorCatalog());
    }

    private CreateOrchRunCommandHandler Handler(IConnectorCatalog connectors) =>
        new(_orchestrators.Object, _currentUser.Object, Enqueuer(), _clock, connectors);

    private RunEnqueuer Enqueuer() =>
        new(_runs.Object, new IdempotencyGuard(_idempotency.Object, _runs.Object), new QueuedRunLimit(Limit), _queueSignal.Object);

    private CreateOrchRunCommand Command(params ActualParamInput[] actualParams) =>
        new(TestData.Namespace, _orchestrator.Id, actualParams);

    [Test]
    public async Task Handle_WhenAStepsConnectorRefusesTheOverlaidParams_ThrowsValidationWithoutAdding()
    {
        var handler = Handler(new FakeConnectorCatalog(new AlwaysObjecting(_orchestrator.Steps[0].ComponentId)));

        var failure = await Assert.ThrowsAsync<RequestValidationException>(async () => await handler.Handle(Command(), CancellationToken.None));

        Assert.That(failure!.Errors["_actualparams"].Single(), Does.EndWith("no, never."));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenValid_AddsTheRunAndCommitsOnce()
    {
        OrchRun? added = null;
        _runs.Setup(r => r.Add(It.IsAny<OrchRun>())).Callback<OrchRun>(r => added = r);

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Once);
        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        _transaction.Verify(a => a.DisposeAsync(), Times.Once);
        Assert.That(added, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Id, Is.EqualTo(added!.Id));
            Assert.That(added.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(added.OrchestratorId, Is.EqualTo(_orchestrator.Id));
        }
    }

    [Test]
    public async Task Handle_WhenValid_CommitsThenRaisesRunQueued()
    {
        await _handler.Handle(Command(), CancellationToken.None);

        _queueSignal.Verify(s => s.RunQueued(), Times.Once);
        Assert.That(_calls, Is.EqualTo(new[] { "add", "commit", "dispose", "signal" }));
    }

    [Test]
    public async Task Handle_WhenValid_ReturnsTheQueuedRunAsTheWireShowsIt()
    {
        var dto = await _handler.Handle(Command(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(dto.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued));
            Assert.That(dto.CreatedBy, Is.EqualTo(TestData.UserId));
            Assert.That(dto.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(dto.UpdatedAt, Is.Null);
            Assert.That(dto.Namespaces, Is.EqualTo(new[] { TestData.Namespace }));
            Assert.That(dto.OrchestratorId, Is.EqualTo(_orchestrator.Id));
            Assert.That(dto.Name, Is.EqualTo(_orchestrator.Name));
            Assert.That(dto.UserType, Is.EqualTo("test_instant"));
            Assert.That(dto.Result, Is.Empty);
            Assert.That(dto.Steps.Select(s => s.OrchestratorStepId), Is.EqualTo(_orchestrator.Steps.Select(s => s.Id)));
        }
    }

    [Test]
    public async Task Handle_WhenTheClockMoves_StampsTheRunWithTheClocksTime()
    {
        _clock.Advance(TimeSpan.FromMilliseconds(1234));

        var dto = await _handler.Handle(Command(), CancellationToken.None);

        Assert.That(dto.CreatedAt, Is.EqualTo("1675164394306"));
    }

    [Test]
    public async Task Handle_WhenActualParamsGiven_OverlaysThemOnTheStepDefaults()
    {
        var second = _orchestrator.Steps[1].Id.ToString();

        var dto = await _handler.Handle(
            Command(new ActualParamInput(second, TestData.Json("""{"iterations":0}"""))),
            CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Steps[0].ActualParams, Is.EqualTo("{}"));
            Assert.That(dto.Steps[0].RunParams, Is.EqualTo("""{"iterations":10,"intervalMs":6000}"""));
            Assert.That(dto.Steps[1].ActualParams, Is.EqualTo("""{"iterations":0}"""));
            Assert.That(dto.Steps[1].RunParams, Is.EqualTo("""{"iterations":0,"intervalMs":6000}"""));
        }
    }

    [Test]
    public async Task Handle_WhenAnEntryHasNoParams_UsesTheEmptyObject()
    {
        var first = _orchestrator.Steps[0].Id.ToString();

        var dto = await _handler.Handle(Command(new ActualParamInput(first, null)), CancellationToken.None);

        Assert.That(dto.Steps[0].ActualParams, Is.EqualTo("{}"));
    }

    [Test]
    public async Task Handle_WhenActualParamsAreNull_CreatesTheRunWithDefaults()
    {
        var dto = await _handler.Handle(new CreateOrchRunCommand(TestData.Namespace, _orchestrator.Id, null), CancellationToken.None);

        Assert.That(dto.Steps.Select(s => s.ActualParams), Is.All.EqualTo("{}"));
    }

    [Test]
    public async Task Handle_WhenOneRunBelowTheLimit_AdmitsTheRun()
    {
        _transaction.Setup(a => a.QueuedRuns).Returns(Limit - 1);

        await _handler.Handle(Command(), CancellationToken.None);

        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheQueueIsFull_ThrowsWithoutAddingCommittingOrSignalling()
    {
        _transaction.Setup(a => a.QueuedRuns).Returns(Limit);

        var ex = await Assert.ThrowsAsync<QueuedRunLimitExceededException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(ex?.Limit, Is.EqualTo(Limit));
        }

        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        _transaction.Verify(a => a.DisposeAsync(), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheOrchestratorIsNotInTheNamespace_ThrowsRequestValidationExceptionOnOrchestratorId()
    {
        var command = new CreateOrchRunCommand("other_ns", _orchestrator.Id, []);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Errors.Keys, Is.EqualTo(new[] { "orchestratorId" }));
        _runs.Verify(r => r.BeginNamespaceTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheOrchestratorDoesNotExist_ThrowsRequestValidationExceptionOnOrchestratorId()
    {
        var command = new CreateOrchRunCommand(TestData.Namespace, Guid.NewGuid(), []);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Errors.Keys, Is.EqualTo(new[] { "orchestratorId" }));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenASequenceTypeIdIsUnknown_ThrowsDomainValidationExceptionBeforeOpeningTheNamespaceTransaction()
    {
        var command = Command(
            new ActualParamInput(_orchestrator.Steps[0].Id.ToString(), null),
            new ActualParamInput(Guid.NewGuid().ToString(), null));

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("ActualParams[1].StepId"));
        _runs.Verify(r => r.BeginNamespaceTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenASequenceTypeIdIsRepeated_ThrowsDomainValidationException()
    {
        var stepId = _orchestrator.Steps[0].Id.ToString();
        var command = Command(new ActualParamInput(stepId, null), new ActualParamInput(stepId, null));

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("ActualParams[1].StepId"));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenParamsRepeatAKey_ThrowsDomainValidationExceptionForThatEntrysParams()
    {
        var stepId = _orchestrator.Steps[0].Id.ToString();
        var command = Command(new ActualParamInput(stepId, TestData.Json("""{"iterations":1,"iterations":2}""")));

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => _handler.Handle(command, CancellationToken.None).AsTask());

        Assert.That(ex?.Field, Is.EqualTo("ActualParams[0].Params"));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheCommitFails_DoesNotSignalAndDisposesTheNamespaceTransaction()
    {
        _transaction.Setup(a => a.CommitAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _handler.Handle(Command(), CancellationToken.None).AsTask());

        _transaction.Verify(a => a.DisposeAsync(), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Never);
    }

    [Test]
    public async Task Handle_WhenCalled_PassesTheCancellationTokenToThePorts()
    {
        using var cts = new CancellationTokenSource();

        await _handler.Handle(Command(), cts.Token);

        _orchestrators.Verify(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, cts.Token), Times.Once);
        _runs.Verify(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, cts.Token), Times.Once);
        _transaction.Verify(a => a.CommitAsync(cts.Token), Times.Once);
    }

    // Idempotency-Key

    private const string Key = "create-7f3a";

    private CreateOrchRunCommand KeyedCommand(string key = Key, params ActualParamInput[] actualParams) =>
        new(TestData.Namespace, _orchestrator.Id, actualParams, key);

    /// <summary>The repository keeps the records the handler adds, and finds runs it added, as the database would.</summary>
    private List<IdempotencyRecord> RememberCreates()
    {
        var records = new List<IdempotencyRecord>();
        var added = new List<OrchRun>();
        _idempotency.Setup(r => r.Add(It.IsAny<IdempotencyRecord>())).Callback<IdempotencyRecord>(record =>
        {
            records.Add(record);
            _calls.Add("add-key");
        });
        _idempotency.Setup(r => r.FindAsync(TestData.Namespace, It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("find-key"))
            .ReturnsAsync((string _, string user, string key, CancellationToken _) => records.LastOrDefault(r => r.UserId == user && r.Key == key));
        _runs.Setup(r => r.Add(It.IsAny<OrchRun>())).Callback<OrchRun>(run =>
        {
            added.Add(run);
            _calls.Add("add");
        });
        _runs.Setup(r => r.FindAsync(It.IsAny<Guid>(), TestData.Namespace, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Guid id, string _, CancellationToken _) => added.LastOrDefault(r => r.Id == id));
        _runs.Setup(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("begin"))
            .ReturnsAsync(_transaction.Object);
        return records;
    }

    [Test]
    public async Task Handle_WhenAKeyIsNew_RecordsItForTheNewRunInsideTheNamespaceTransaction()
    {
        var records = RememberCreates();

        var dto = await _handler.Handle(KeyedCommand(), CancellationToken.None);

        var record = records.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(record.Key, Is.EqualTo(Key));
            Assert.That(record.RunId, Is.EqualTo(dto.Id));
            Assert.That(record.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(record.RequestHash, Has.Length.EqualTo(64));
            Assert.That(_calls, Is.EqualTo(new[] { "begin", "find-key", "add-key", "add", "commit", "dispose", "signal" }));
        }
    }

    [Test]
    public async Task Handle_WhenTheSameKeyAndBodyComeAgain_AnswersTheEarlierRunWithoutAddingAnother()
    {
        RememberCreates();
        var first = await _handler.Handle(KeyedCommand(), CancellationToken.None);
        _calls.Clear();
        _clock.Advance(TimeSpan.FromHours(23));

        var second = await _handler.Handle(KeyedCommand(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Id, Is.EqualTo(first.Id));
            Assert.That(second.CreatedAt, Is.EqualTo(first.CreatedAt));
            Assert.That(_calls, Is.EqualTo(new[] { "begin", "find-key", "dispose" }), "no add, no commit, no signal");
        }

        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Once);
        _idempotency.Verify(r => r.Add(It.IsAny<IdempotencyRecord>()), Times.Once);
        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        _queueSignal.Verify(s => s.RunQueued(), Times.Once);
    }

    [Test]
    public async Task Handle_WhenAnotherUserSendsTheSameKey_CreatesTheirOwnRunUnderTheirOwnRecord()
    {
        var records = RememberCreates();
        var first = await _handler.Handle(KeyedCommand(), CancellationToken.None);
        _currentUser.Setup(u => u.UserId).Returns("someone-else");

        var second = await _handler.Handle(KeyedCommand(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Id, Is.Not.EqualTo(first.Id));
            Assert.That(records.Select(r => r.UserId), Is.EqualTo(new[] { TestData.UserId, "someone-else" }));
        }

        _idempotency.Verify(r => r.FindAsync(TestData.Namespace, "someone-else", Key, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheSameBodyNamesAStepInAnotherSpelling_IsStillTheSameRequest()
    {
        RememberCreates();
        var step = _orchestrator.Steps[0].Id;
        var first = await _handler.Handle(KeyedCommand(Key, new ActualParamInput(step.ToString(), TestData.Json("""{"iterations":1}"""))), CancellationToken.None);

        var second = await _handler.Handle(
            KeyedCommand(Key, new ActualParamInput(" " + step.ToString().ToUpperInvariant() + " ", TestData.Json("""{ "iterations" : 1 }"""))),
            CancellationToken.None);

        Assert.That(second.Id, Is.EqualTo(first.Id));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheQueueIsFullButTheKeyWasUsed_AnswersTheEarlierRunRatherThan429()
    {
        RememberCreates();
        var first = await _handler.Handle(KeyedCommand(), CancellationToken.None);
        _transaction.Setup(a => a.QueuedRuns).Returns(Limit);

        var second = await _handler.Handle(KeyedCommand(), CancellationToken.None);

        Assert.That(second.Id, Is.EqualTo(first.Id));
    }

    [Test]
    public async Task Handle_WhenTheSameKeyComesWithAnotherBody_ThrowsIdempotencyKeyReusedWithoutAdding()
    {
        RememberCreates();
        await _handler.Handle(KeyedCommand(), CancellationToken.None);
        _calls.Clear();
        var otherBody = KeyedCommand(Key, new ActualParamInput(_orchestrator.Steps[0].Id.ToString(), TestData.Json("""{"iterations":2}""")));

        var ex = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => _handler.Handle(otherBody, CancellationToken.None).AsTask());

        Assert.That(ex?.Message, Does.Contain(Key));
        Assert.That(_calls, Is.EqualTo(new[] { "begin", "find-key", "dispose" }));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenTheSameKeyComesForAnotherOrchestrator_ThrowsIdempotencyKeyReused()
    {
        RememberCreates();
        await _handler.Handle(KeyedCommand(), CancellationToken.None);
        var other = TestData.NewOrchestrator(stepCount: 2);
        _orchestrators.Setup(o => o.FindAsync(other.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(other);

        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(
            () => _handler.Handle(new CreateOrchRunCommand(TestData.Namespace, other.Id, [], Key), CancellationToken.None).AsTask());
    }

    [Test]
    public async Task Handle_WhenAnotherKeyComesWithTheSameBody_CreatesAnotherRun()
    {
        RememberCreates();
        var first = await _handler.Handle(KeyedCommand("key-1"), CancellationToken.None);

        var second = await _handler.Handle(KeyedCommand("key-2"), CancellationToken.None);

        Assert.That(second.Id, Is.Not.EqualTo(first.Id));
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Exactly(2));
    }

    [Test]
    public async Task Handle_WhenTheKeysRecordHasExpired_CreatesANewRunAndReassignsTheRecordToIt()
    {
        var records = RememberCreates();
        var first = await _handler.Handle(KeyedCommand(), CancellationToken.None);
        var firstHash = records.Single().RequestHash;
        _clock.Advance(IdempotencyRecord.Lifetime);
        var otherBody = KeyedCommand(Key, new ActualParamInput(_orchestrator.Steps[0].Id.ToString(), TestData.Json("""{"iterations":2}""")));

        var second = await _handler.Handle(otherBody, CancellationToken.None);

        var record = records.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Id, Is.Not.EqualTo(first.Id));
            Assert.That(record.RunId, Is.EqualTo(second.Id));
            Assert.That(record.CreatedAt, Is.EqualTo(TestData.Now + IdempotencyRecord.Lifetime));
            Assert.That(record.RequestHash, Is.Not.EqualTo(firstHash));
        }

        _idempotency.Verify(r => r.Add(It.IsAny<IdempotencyRecord>()), Times.Once);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Exactly(2));
    }

    [Test]
    public async Task Handle_WhenTheKeysRunWasDeleted_CreatesANewRunAndReassignsTheRecordToIt()
    {
        var records = RememberCreates();
        var first = await _handler.Handle(KeyedCommand(), CancellationToken.None);
        _runs.Setup(r => r.FindAsync(first.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((OrchRun?)null);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var second = await _handler.Handle(KeyedCommand(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Id, Is.Not.EqualTo(first.Id));
            Assert.That(records.Single().RunId, Is.EqualTo(second.Id));
            Assert.That(records.Single().CreatedAt, Is.EqualTo(TestData.Now.AddMinutes(5)));
        }

        _transaction.Verify(a => a.CommitAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task Handle_WhenNoKeyIsGiven_NeitherLooksUpNorRecordsAKey()
    {
        await _handler.Handle(Command(), CancellationToken.None);
        await _handler.Handle(Command(), CancellationToken.None);

        _idempotency.Verify(r => r.FindAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _idempotency.Verify(r => r.Add(It.IsAny<IdempotencyRecord>()), Times.Never);
        _runs.Verify(r => r.Add(It.IsAny<OrchRun>()), Times.Exactly(2));
    }

    [Test]
    public void IdempotencyRecord_IsLiveForJustUnder24Hours()
    {
        var record = new IdempotencyRecord(TestData.Namespace, TestData.UserId, Key, "hash", Guid.NewGuid(), TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.IsLiveAt(TestData.Now), Is.True);
            Assert.That(record.IsLiveAt(TestData.Now + IdempotencyRecord.Lifetime - TimeSpan.FromMilliseconds(1)), Is.True);
            Assert.That(record.IsLiveAt(TestData.Now + IdempotencyRecord.Lifetime), Is.False);
        }
    }

    private sealed class AlwaysObjecting(Guid componentId) : IConnector
    {
        public Guid ComponentId => componentId;

        public string Name => "objecting";

        public Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) => Task.CompletedTask;

        public string? ParameterProblem(System.Text.Json.JsonElement parameters) => "no, never.";
    }
}
