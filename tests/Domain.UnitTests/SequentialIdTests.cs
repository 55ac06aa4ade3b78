using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests;

/// <summary>Clustered keys are time-ordered (version 7) so inserts append instead of splitting pages.</summary>
public class SequentialIdTests
{
    [Test]
    public void Ids_WhenOrchestratorsRunsAndStepsAreCreated_AreVersion7()
    {
        var orchestrator = TestData.NewOrchestrator();
        var run = OrchRun.Create(orchestrator, [], TestData.User, TestData.Now);
        var rerun = OrchRun.Rerun(TestData.NewRunIn(OrchRunStatus.Failed), RerunFrom.First, TestData.User, TestData.Now);

        var ids = new[] { orchestrator.Id, run.Id, rerun.Id }
            .Concat(orchestrator.Steps.Select(s => s.Id))
            .Concat(run.Steps.Select(s => s.Id))
            .Concat(rerun.Steps.Select(s => s.Id));

        Assert.That(ids.Select(id => id.Version), Is.All.EqualTo(7));
    }
}
