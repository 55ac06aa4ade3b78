using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class CancelOrchRunTests : ApiTestBase
{
    [Test]
    public async Task Cancel_WhenRunIsQueued_ReturnsAnArrayOfOneRunWithRequestCancel()
    {
        var runId = await CreateRunAsync();

        using var response = await Api.CancelRunAsync(runId, runId);
        var body = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);

        Assert.That(body, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body[0]!["id"]!.GetValue<string>(), Is.EqualTo(runId));
            Assert.That(body[0]!["_status"]!.GetValue<string>(), Is.EqualTo("REQUEST_CANCEL"));
            Assert.That(body[0]!["_updatedat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(await StatusOfAsync(runId), Is.EqualTo("REQUEST_CANCEL"), "the change is stored");
        }
    }

    [Test]
    public async Task Cancel_WhenRunIsRunning_ReturnsRequestCancel()
    {
        var runId = await CreateRunAsync();
        await Factory.SetRunStatusAsync(runId, OrchRunStatus.Running);

        using var response = await Api.CancelRunAsync(runId, runId);
        var body = await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK);

        Assert.That(body[0]!["_status"]!.GetValue<string>(), Is.EqualTo("REQUEST_CANCEL"));
    }

    [Test]
    public async Task Cancel_WhenAskedAgain_IsANoOp200()
    {
        var runId = await CreateRunAsync();
        using var first = await Api.CancelRunAsync(runId, runId);
        var firstRun = (await OrchRunApiClient.ReadArrayAsync(first, HttpStatusCode.OK))[0]!;

        using var second = await Api.CancelRunAsync(runId, runId);
        var secondRun = (await OrchRunApiClient.ReadArrayAsync(second, HttpStatusCode.OK))[0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secondRun["_status"]!.GetValue<string>(), Is.EqualTo("REQUEST_CANCEL"));
            Assert.That(secondRun["_updatedat"]!.GetValue<string>(), Is.EqualTo(firstRun["_updatedat"]!.GetValue<string>()), "nothing changed");
        }
    }

    [TestCase(OrchRunStatus.Completed)]
    [TestCase(OrchRunStatus.Failed)]
    [TestCase(OrchRunStatus.Cancelled)]
    public async Task Cancel_WhenRunHasFinished_Returns409(OrchRunStatus finished)
    {
        var runId = await CreateRunAsync();
        await Factory.SetRunStatusAsync(runId, finished);

        using var response = await Api.CancelRunAsync(runId, runId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "conflict");
        Assert.That(await StatusOfAsync(runId), Is.EqualTo(finished.ToString().ToUpperInvariant()));
    }

    [Test]
    public async Task Cancel_WhenBodyIdDiffersFromPathId_Returns400AndLeavesTheRunQueued()
    {
        var runId = await CreateRunAsync();

        using var response = await Api.CancelRunAsync(runId, Guid.NewGuid().ToString());

        await ProblemAssert.IsValidationProblemAsync(response, "body.id");
        Assert.That(await StatusOfAsync(runId), Is.EqualTo("QUEUED"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-guid")]
    public async Task Cancel_WhenBodyIdIsMissingOrMalformed_Returns400(string? bodyId)
    {
        var runId = await CreateRunAsync();

        using var response = await Api.CancelRunAsync(runId, bodyId);

        await ProblemAssert.IsValidationProblemAsync(response, "body.id");
    }

    [Test]
    public async Task Cancel_WhenBodyIdHasTheWrongJsonType_Returns400MalformedRequest()
    {
        var runId = await CreateRunAsync();

        using var response = await Api.Http.PutAsync(Api.Url($"{OrchRunApiClient.RunsPath}/{runId}"), OrchRunApiClient.Json("{\"id\":42}"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
    }

    [Test]
    public async Task Cancel_WhenRunIsUnknown_Returns404()
    {
        var id = Guid.NewGuid().ToString();

        using var response = await Api.CancelRunAsync(id, id);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Test]
    public async Task Cancel_WhenRunBelongsToAnotherNamespace_Returns404AndLeavesItQueued()
    {
        using var other = Factory.CreateApiClient();
        var (_, run) = await other.CreateOrchestratorAndRunAsync();
        var runId = OrchRunApiClient.IdOf(run);

        using var response = await Api.CancelRunAsync(runId, runId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        using var fetched = await other.GetRunAsync(runId);
        Assert.That((await OrchRunApiClient.ReadArrayAsync(fetched, HttpStatusCode.OK))[0]!["_status"]!.GetValue<string>(), Is.EqualTo("QUEUED"));
    }

    [Test]
    public async Task Cancel_WhenPathIdIsMalformed_Returns400()
    {
        using var response = await Api.CancelRunAsync("not-a-guid", "not-a-guid");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    [Test]
    public async Task Cancel_WhenContentTypeIsNotJson_Returns415()
    {
        var runId = await CreateRunAsync();

        using var response = await Api.Http.PutAsync(
            Api.Url($"{OrchRunApiClient.RunsPath}/{runId}"),
            OrchRunApiClient.Json(new JsonObject { ["id"] = runId }.ToJsonString(), "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    private async Task<string> CreateRunAsync()
    {
        var (_, run) = await Api.CreateOrchestratorAndRunAsync();
        return OrchRunApiClient.IdOf(run);
    }

    private async Task<string> StatusOfAsync(string runId)
    {
        using var response = await Api.GetRunAsync(runId);
        return (await OrchRunApiClient.ReadArrayAsync(response, HttpStatusCode.OK))[0]!["_status"]!.GetValue<string>();
    }
}
