using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>The EF execution store and the executor over it, on a real SQLite file.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RunExecutionStoreTests
{
    private readonly DatabaseProvider _provider;

    public RunExecutionStoreTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private HookConnector _hook = null!;
    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp()
    {
        // A new connector per test: NUnit keeps one fixture instance for all its tests.
        _hook = new HookConnector();
        _db = await WorkerTestDatabase.CreateAsync(_provider, s => s.AddSingleton<IConnector>(_hook));
    }

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ExecuteAsync_WhenATestConnectorRunCompletes_PersistsTheStatusAndTheSeedsLines()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow(), steps: 2, stepParams: "{\"iterations\":3,\"intervalMs\":0}");
        var outcome = await ClaimAndExecuteAsync("node-it");

        var run = await _db.FindAsync(queued.Id);
        var lines = await _db.LinesAsync(queued.Id);
        var id = queued.Id;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(run!.Status, Is.EqualTo(OrchRunStatus.Completed));
            Assert.That(run.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Select(l => l.Message).Take(7), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                $"Running Orchestrator: it_orch in Node node-it, orch_run_id: {id}",
                $"Node node-it Executing Step: Connector:step_1, orch_run_id: {id}",
                $"Test Connector, orch_run_id: {id}",
                $"Executing TestConnector - Connectors with version 1, orch_run_id: {id}",
                "TestConnector_v1: Dummy loop in progress",
                "TestConnector_v1: Dummy loop in progress",
            }));
            Assert.That(lines.Count(l => l.Message.StartsWith("Node node-it Executing Step: Connector:step_", StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(lines[^3].Message, Is.EqualTo($"Orchestrator it_orch Execution Duration in project proj_worker_it is: 0.00, orch_run_id: {id}"));
            Assert.That(lines[^2].Message, Is.EqualTo($"Updating orch run status to 4 in OrchExecutionService, orch_run_id: {id}"));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheRunIsDeletedWhileAStepRuns_AbandonsItWithoutError()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow(), steps: 2, componentId: HookConnector.Id.ToString());
        _hook.Body = async context =>
        {
            context.Log.Info("about to be deleted");
            await _db.DeleteAsync(context.RunId);
        };

        var outcome = await ClaimAndExecuteAsync("node-it");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(_hook.Executions, Is.EqualTo(1), "the second step does not run");
            Assert.That(await _db.FindAsync(queued.Id), Is.Null);
            Assert.That(await _db.LinesAsync(queued.Id), Is.Empty, "no orphan log lines");
        }
    }

    [Test]
    public async Task SaveAsync_WhenTheRunWasDeleted_RefusesTheWrite()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-it"))!;
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();
        var run = (await store.LoadAsync(claim.RunId, CancellationToken.None))!;
        run.StartStep(run.Steps[0].Id, _db.Clock.GetUtcNow());
        await _db.DeleteAsync(queued.Id);

        var line = new RunLogLine(queued.Id, 1, _db.Clock.GetUtcNow(), RunLogLevel.Info, "late", false);
        var refused = await Assert.CatchAsync(() => store.SaveAsync(run, [line], CancellationToken.None));

        Assert.That(refused, Is.InstanceOf<RunLostException>().Or.InstanceOf<ConcurrencyConflictException>());
        Assert.That(await _db.LinesAsync(queued.Id), Is.Empty);
    }

    [Test]
    public async Task SaveAsync_WhenTheRunWasCancelledMeanwhile_FailsWithAConflict()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-it"))!;
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();
        var run = (await store.LoadAsync(claim.RunId, CancellationToken.None))!;
        _db.Clock.Advance(TimeSpan.FromMilliseconds(1));
        run.StartStep(run.Steps[0].Id, _db.Clock.GetUtcNow());
        await _db.ChangeAsync(claim.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(run, [], CancellationToken.None));
        Assert.That((await store.LoadAsync(claim.RunId, CancellationToken.None))!.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
    }

    [Test]
    public async Task AppendLogAsync_WhenTheRunWasDeleted_ThrowsRunLost()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-it"))!;
        await _db.DeleteAsync(claim.RunId);
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();

        var line = new RunLogLine(claim.RunId, 1, _db.Clock.GetUtcNow(), RunLogLevel.Info, "late", false);
        await Assert.ThrowsAsync<RunLostException>(() => store.AppendLogAsync(claim, [line], CancellationToken.None));
        Assert.That(await _db.LinesAsync(claim.RunId), Is.Empty);
    }

    [Test]
    public async Task AppendLogAsync_WhenTheRunWasClaimedAgain_ThrowsRunLost()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-it"))!;
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();
        var line = new RunLogLine(claim.RunId, 1, _db.Clock.GetUtcNow(), RunLogLevel.Info, "mine", false);
        await store.AppendLogAsync(claim, [line], CancellationToken.None);

        var stale = claim with { Attempt = claim.Attempt + 1 };
        await Assert.ThrowsAsync<RunLostException>(() => store.AppendLogAsync(stale, [line with { Sequence = 2, Message = "not mine" }], CancellationToken.None));
        Assert.That((await _db.LinesAsync(claim.RunId)).Select(l => l.Message), Is.EqualTo(new[] { "mine" }));
        Assert.That(await store.GetLastLogSequenceAsync(claim.RunId, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task AppendLogAsync_WhenTheSequenceWasWrittenByAnotherAttempt_ThrowsRunLost_AndLeavesNoWriteTurnHeld()
    {
        // The one-core DatabaseLockTests incident: two attempts of a run on one node wrote the same
        // log sequence (UNIQUE RunId, Sequence). The failed insert must end its transaction where
        // the write gate hears it, so the next writers of the process are not kept waiting.
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-it"))!;
        var line = new RunLogLine(claim.RunId, 1, _db.Clock.GetUtcNow(), RunLogLevel.Info, "first", false);
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();
        await store.AppendLogAsync(claim, [line], CancellationToken.None);

        await Assert.ThrowsAsync<RunLostException>(() => store.AppendLogAsync(claim, [line with { Message = "again" }], CancellationToken.None));

        await using var other = _db.Scope();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await other.ServiceProvider.GetRequiredService<IRunExecutionStore>().AppendLogAsync(claim, [line with { Sequence = 2, Message = "next writer" }], CancellationToken.None);
        await store.AppendLogAsync(claim, [line with { Sequence = 3, Message = "same store" }], CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "no writer waited out a turn held by the failed transaction");
            Assert.That((await _db.LinesAsync(claim.RunId)).Select(l => l.Message), Is.EqualTo(new[] { "first", "next writer", "same store" }));
        }
    }

    [Test]
    public async Task FindExpiredLeasesAsync_WhenLeasesExpire_ListsOnlyThoseRunsOldestLeaseFirst()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow().AddSeconds(1));
        var first = (await ClaimAsync("node-it"))!;
        _db.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = (await ClaimAsync("node-it"))!;
        await using var scope = _db.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IRunExecutionStore>();

        var none = await store.FindExpiredLeasesAsync(_db.Clock.GetUtcNow(), 10, CancellationToken.None);
        var one = await store.FindExpiredLeasesAsync(_db.Clock.GetUtcNow() + Lease, 10, CancellationToken.None);
        var both = await store.FindExpiredLeasesAsync(_db.Clock.GetUtcNow() + Lease + TimeSpan.FromSeconds(6), 10, CancellationToken.None);

        Assert.That(none, Is.Empty);
        Assert.That(one, Is.EqualTo(new[] { first.RunId }));
        Assert.That(both, Is.EqualTo(new[] { first.RunId, second.RunId }));
    }

    [Test]
    public async Task ExecuteAsync_WhenASaveConflictsWithACancel_CancelsTheRunInsteadOfGoingOn()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow(), steps: 2, componentId: HookConnector.Id.ToString());
        _hook.Body = async context =>
        {
            context.Log.Info("first did its work");

            // The API cancels while the step runs; this process's signal never arrives.
            await _db.ChangeAsync(context.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));
        };

        var outcome = await ClaimAndExecuteAsync("node-it");

        var run = (await _db.FindAsync(queued.Id))!;
        var lines = await _db.LinesAsync(queued.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(_hook.Executions, Is.EqualTo(1), "the second step does not run");
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Any(l => l.Message == "first did its work"), Is.True, "lines of the conflicting save are kept");
            Assert.That(lines[^2].Message, Does.StartWith("Updating orch run status to 6 "));
            Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
            Assert.That(lines[^1].IsEnd, Is.True);
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheFinalSaveConflictsWithACancel_WritesTheCancelledClosingLinesOnly()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow(), componentId: HookConnector.Id.ToString());

        // The API cancels while the last step runs: the save of COMPLETED with its closing lines conflicts.
        _hook.Body = context => _db.ChangeAsync(context.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));

        var outcome = await ClaimAndExecuteAsync("node-it");

        var run = (await _db.FindAsync(queued.Id))!;
        var lines = await _db.LinesAsync(queued.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(run.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Any(l => l.Message.StartsWith("Updating orch run status to 4 ", StringComparison.Ordinal)), Is.False, "the completion's closing lines were not kept");
            Assert.That(lines[^2].Message, Does.StartWith("Updating orch run status to 6 "));
            Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
            Assert.That(lines[^1].IsEnd, Is.True);
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenAnotherNodeClaimedTheRunMeanwhile_GivesItUpOnTheConflict()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow(), steps: 2, componentId: HookConnector.Id.ToString());

        // This node's lease expired meanwhile: recovered and claimed by node B.
        _hook.Body = context => _db.ChangeAsync(context.RunId, r =>
        {
            r.RecoverFromLostLease(3, _db.Clock.GetUtcNow());
            r.Claim("node-b", _db.Clock.GetUtcNow() + Lease, _db.Clock.GetUtcNow());
        });

        var outcome = await ClaimAndExecuteAsync("node-it");

        var run = (await _db.FindAsync(queued.Id))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Lost));
            Assert.That(_hook.Executions, Is.EqualTo(1), "the second step does not run");
            Assert.That((run.Status, run.NodeId, run.Attempt), Is.EqualTo((OrchRunStatus.Running, (string?)"node-b", 2)));
            Assert.That(run.Steps.Select(s => s.Status), Is.All.EqualTo(OrchRunStepStatus.Queued), "node B's run is left as node B found it");
        }
    }

    private Task<RunClaim?> ClaimAsync(string nodeId) => _db.ClaimWithoutOpeningAsync(nodeId, Lease);

    /// <summary>Claims the oldest queued run and executes it as the worker does: the claim in one scope, the execution in another.</summary>
    private Task<RunOutcome> ClaimAndExecuteAsync(string nodeId) => _db.ClaimAndExecuteAsync(nodeId, Lease);

    /// <summary>A connector whose body the test sets.</summary>
    private sealed class HookConnector : IConnector
    {
        public static readonly Guid Id = Guid.Parse("0a0b0c0d-1111-2222-3333-444455556666");

        private int _executions;

        public Guid ComponentId => Id;

        public string Name => "hook";

        public Func<ConnectorContext, Task> Body { get; set; } = _ => Task.CompletedTask;

        public int Executions => _executions;

        public Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _executions);
            return Body(context);
        }
    }
}
