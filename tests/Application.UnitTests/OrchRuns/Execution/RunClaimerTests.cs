using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>Claiming opens a run: the claim, its opening lines and its first step's start in one save.</summary>
public sealed class RunClaimerTests
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
    public async Task ClaimAsync_WhenNothingIsQueued_ClaimsNothingAndSavesNothing()
    {
        Assert.That(await Worker().ClaimAsync(), Is.Empty);
        Assert.That(_store.Saves, Is.Empty);
    }

    [Test]
    public async Task ClaimAsync_SavesTheClaimTheOpeningLinesAndTheFirstStepsStartTogether()
    {
        var connector = ScriptedConnector.Logging("first");
        var later = ScriptedConnector.Logging("later");
        var run = Queue(("first", connector.ComponentId), ("later", later.ComponentId));

        var claimed = (await Worker(connector, later).ClaimAsync()).Single();

        var stored = _store.Find(run.Id)!;
        var save = _store.Saves.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Is.EqualTo(new ClaimedRun(new RunClaim(run.Id, TestRuns.NodeA, 1), 2, _clock.GetTimestamp())));
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

    private OrchRun Queue(params (string Name, Guid ComponentId)[] steps)
    {
        var run = TestRuns.Queued(_clock.GetUtcNow(), steps);
        _store.Put(run);
        return run;
    }

    private TestWorker Worker(params IConnector[] connectors) =>
        new(_store, _clock, new RunExecutionSettings(3, TimeSpan.FromMilliseconds(500)), connectors);
}
