using System.Net;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class DeleteOrchRunTests : ApiTestBase
{
    [Test]
    public async Task Delete_WhenRunExists_Returns204ThenTheRunIsGone()
    {
        var runId = await CreateRunAsync();

        using var response = await Api.DeleteRunAsync(runId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        }

        using var get = await Api.GetRunAsync(runId);
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "not-found");
        using var logs = await Api.GetLogsAsync(runId);
        await ProblemAssert.IsProblemAsync(logs, HttpStatusCode.NotFound, "not-found");
        var page = await Api.ListRunsPageAsync();
        Assert.That(page["_total"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Delete_WhenRunHasStepsAndLogLines_RemovesThemFromTheDatabase()
    {
        var orchestrator = await Api.CreateOrchestratorAsync(stepCount: 3);
        var runId = OrchRunApiClient.IdOf(await Api.CreateRunAsync(OrchRunApiClient.IdOf(orchestrator)));
        await Factory.AddLogLinesAsync(runId, [(RunLogLevel.Info, "one"), (RunLogLevel.Info, "two")], lastIsEnd: false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Factory.CountStepRowsAsync(runId), Is.EqualTo(3), "precondition: steps stored");
            Assert.That(await Factory.CountLogLineRowsAsync(runId), Is.EqualTo(2), "precondition: log lines stored");
        }

        using var response = await Api.DeleteRunAsync(runId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Factory.CountRunRowsAsync(runId), Is.Zero);
            Assert.That(await Factory.CountStepRowsAsync(runId), Is.Zero);
            Assert.That(await Factory.CountLogLineRowsAsync(runId), Is.Zero);
        }
    }

    [TestCase(OrchRunStatus.RequestCancel)]
    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public async Task Delete_WhenRunIsInAnyStatus_Returns204(OrchRunStatus status)
    {
        var runId = await CreateRunAsync();
        await Factory.SetRunStatusAsync(runId, status);

        using var response = await Api.DeleteRunAsync(runId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Delete_WhenDeletedTwice_SecondAnswerIs404()
    {
        var runId = await CreateRunAsync();
        (await Api.DeleteRunAsync(runId)).Dispose();

        using var response = await Api.DeleteRunAsync(runId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Delete_WhenRunIsUnknown_Returns404()
    {
        using var response = await Api.DeleteRunAsync(Guid.NewGuid().ToString());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Delete_WhenRunBelongsToAnotherNamespace_Returns404AndKeepsTheRun()
    {
        using var other = Factory.CreateApiClient();
        var (_, run) = await other.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(run);

        using var response = await Api.DeleteRunAsync(runId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        using var fetched = await other.GetRunAsync(runId);
        Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Delete_WhenIdIsMalformed_Returns400()
    {
        using var response = await Api.DeleteRunAsync("not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    private async Task<string> CreateRunAsync()
    {
        var (_, run) = await Api.CreateOrchestratorAndRunAsync();
        return OrchRunApiClient.IdOf(run);
    }
}
