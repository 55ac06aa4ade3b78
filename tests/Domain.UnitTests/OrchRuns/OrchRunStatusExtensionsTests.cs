using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

public class OrchRunStatusExtensionsTests
{
    [TestCase(OrchRunStatus.Queued, false)]
    [TestCase(OrchRunStatus.Running, false)]
    [TestCase(OrchRunStatus.RequestCancel, false)]
    [TestCase(OrchRunStatus.Completed, true)]
    [TestCase(OrchRunStatus.Failed, true)]
    [TestCase(OrchRunStatus.Cancelled, true)]
    public void IsTerminal_ForEachStatus_IsTrueOnlyForFinishedRuns(OrchRunStatus status, bool expected)
    {
        Assert.That(status.IsTerminal(), Is.EqualTo(expected));
    }

    [TestCase(OrchRunStatus.Queued, 1)]
    [TestCase(OrchRunStatus.Running, 2)]
    [TestCase(OrchRunStatus.RequestCancel, 3)]
    [TestCase(OrchRunStatus.Completed, 4)]
    [TestCase(OrchRunStatus.Failed, 5)]
    [TestCase(OrchRunStatus.Cancelled, 6)]
    public void StatusCode_ForEachStatus_IsTheCodeTheRunLogPrints(OrchRunStatus status, int code)
    {
        Assert.That((int)status, Is.EqualTo(code));
    }
}
