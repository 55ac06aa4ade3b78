using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>The worker's path: claim and open a run in one save, then execute it with the same copy.</summary>
public sealed class OrchRunExecutorClaimTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private FakeTimeProvider _clock = null!;
    private InMemoryRunExecutionStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _store = new InMemoryRunExecutionStore();
    }

    [Test]
    public async Task ClaimNextAsync_WhenNothingIsQueued_ClaimsNothingAndSavesNothing()
    {
        Assert.That(await Executor().ClaimNextAsync(TestRuns.NodeA, Lease, CancellationToken.None), Is.Null);
        Assert.That(_store.Saves, Is.Empty);
    }

    [Test]
    public async Task ClaimNextAsync_SavesTheClaimTheOpeningLinesAndTheFirstStepsStartTogether()
    {
        var connector = ScriptedConnector.Logging("first");
        var later = ScriptedConnector.Logging("later");
        var run = Queue(("first", connector.ComponentId), ("later", later.ComponentId));

        var claimed = await Executor(connector, later).ClaimNextAsync(TestRuns.NodeA, Lease, CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var save = _store.Saves.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed!.Hold, Is.EqualTo(new RunHold(run.Id, TestRuns.NodeA, 1)));
            Assert.That(save.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(save.Lines.Select(l => l.Message), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                $"Running Orchestrator: test_orch in Node {TestRuns.NodeA}, orch_run_id: {run.Id}",
            }));
            Assert.That(save.Lines.Select(l => l.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(stored.NodeId, Is.EqualTo(TestRuns.NodeA));
            Assert.That(stored.LeaseExpiresAt, Is.EqualTo(_clock.GetUtcNow() + Lease));
            Assert.That(stored.Steps.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStepStatus.Running, OrchRunStepStatus.Queued }));
            Assert.That(connector.Executions, Is.Zero, "claiming does not run the connector");
        }
    }

    [Test]
    public async Task ExecuteAsync_OfAClaimedOneStepRun_SavesTwiceWithTheSeedsLinesInOrder()
    {
        var connector = ScriptedConnector.Logging("test_connector");
        var run = Queue(("test_connector", connector.ComponentId));
        var executor = Executor(connector);

        var claimed = await executor.ClaimNextAsync(TestRuns.NodeA, Lease, CancellationToken.None);
        var outcome = await executor.ExecuteAsync(claimed!, CancellationToken.None, CancellationToken.None);

        var lines = _store.LinesOf(run.Id);
        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunExecutionOutcome.Completed));
            Assert.That(_store.Saves.Select(s => s.Status), Is.EqualTo(new[] { OrchRunStatus.Running, OrchRunStatus.Completed }), "claim with start, then end with finish");
            Assert.That(_store.Appends, Is.Empty);
            Assert.That(stored.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Completed));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Select(l => l.Message).Take(3), Is.EqualTo(new[]
            {
                "Orch run execution has begun",
                $"Running Orchestrator: test_orch in Node {TestRuns.NodeA}, orch_run_id: {run.Id}",
                $"Node {TestRuns.NodeA} Executing Step: Connector:test_connector, orch_run_id: {run.Id}",
            }));
            Assert.That(lines[^2].Message, Is.EqualTo($"Updating orch run status to 4 in OrchExecutionService, orch_run_id: {run.Id}"));
            Assert.That(lines.Select(l => l.IsEnd), Is.EqualTo(Enumerable.Repeat(false, lines.Count - 1).Append(true)));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelledWhileTheLastStepRuns_CancelsTheRunInsteadOfCompletingIt()
    {
        var connector = new ScriptedConnector("only", (context, _) =>
        {
            _store.Change(context.RunId, r => r.RequestCancel(_clock.GetUtcNow()));
            return Task.CompletedTask;
        });
        var run = Queue(("only", connector.ComponentId));
        var executor = Executor(connector);

        var claimed = await executor.ClaimNextAsync(TestRuns.NodeA, Lease, CancellationToken.None);
        var outcome = await executor.ExecuteAsync(claimed!, CancellationToken.None, CancellationToken.None);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunExecutionOutcome.Cancelled));
            Assert.That(stored.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That(stored.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Cancelled));
            Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(Enumerable.Range(1, lines.Count).Select(i => (long)i)));
            Assert.That(lines.Count(l => l.IsEnd), Is.EqualTo(1));
            Assert.That(lines[^1].IsEnd, Is.True);
            Assert.That(lines.Any(l => l.Message.StartsWith("Updating orch run status to 4", StringComparison.Ordinal)), Is.False, "the completion's closing lines were not kept");
        }
    }

    private OrchRun Queue(params (string Name, Guid ComponentId)[] steps)
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), steps);
        _store.Put(run);
        return run;
    }

    private OrchRunExecutor Executor(params IConnector[] connectors) =>
        new(_store, new FakeConnectorCatalog(connectors), _clock, new RunExecutionSettings(3, TimeSpan.FromMilliseconds(500)));
}
