using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>POST /orchrun with an Idempotency-Key header, over real HTTP (no worker: runs stay QUEUED).</summary>
public sealed class IdempotentCreateTests
{
    private OrchRunApiClient _api = null!;
    private string _orchestratorId = string.Empty;

    [SetUp]
    public async Task CreateClientAndOrchestrator()
    {
        _api = BeyondTheSeedApis.Queueing.CreateApiClient();
        _orchestratorId = OrchRunApiClient.IdOf(await _api.CreateOrchestratorAsync());
    }

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    private static string NewKey() => "create-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task Create_WithTheSameKeyAndBodyTwice_AnswersTheSameRunAndStoresOne()
    {
        var key = NewKey();

        using var first = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));
        using var second = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));

        var a = await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.OK);
        var b = await OrchRunApiClient.ReadObjectAsync(second, HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OrchRunApiClient.IdOf(b), Is.EqualTo(OrchRunApiClient.IdOf(a)));
            Assert.That(JsonNode.DeepEquals(a, b), Is.True, "the same answer");
            Assert.That(await _api.CountRunsAsync(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Create_WhenAnotherUserSendsTheSameKeyAndBody_MakesTheirOwnRun()
    {
        var key = NewKey();
        var http = BeyondTheSeedApis.Queueing.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", OrchRunApiFactory.TokenFor("another-user", _api.Namespace));
        using var other = new OrchRunApiClient(http, _api.Namespace);

        using var first = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));
        using var second = await other.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));

        var mine = await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.OK);
        var theirs = await OrchRunApiClient.ReadObjectAsync(second, HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OrchRunApiClient.IdOf(theirs), Is.Not.EqualTo(OrchRunApiClient.IdOf(mine)), "another user's key is not mine");
            Assert.That(theirs["_createdby"]!.GetValue<string>(), Is.EqualTo("another-user"));
            Assert.That(await _api.CountRunsAsync(), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Create_With20ConcurrentRetriesOfOneKey_MakesOneRunAndAnswersItToAll()
    {
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId))));

        try
        {
            var ids = new List<string>();
            foreach (var response in responses)
            {
                ids.Add(OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK)));
            }

            using (Assert.EnterMultipleScope())
            {
                Assert.That(ids.Distinct().Count(), Is.EqualTo(1), string.Join(", ", ids));
                Assert.That(await _api.CountRunsAsync(), Is.EqualTo(1));
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task Create_WithTheSameKeyAndAnotherBody_Returns422AndMakesNoRun()
    {
        var key = NewKey();
        var orchestrator = await _api.CreateOrchestratorAsync();
        var stepId = orchestrator["steps"]![0]!["id"]!.GetValue<string>();
        (await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId))).Dispose();

        using var otherOrchestrator = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(OrchRunApiClient.IdOf(orchestrator)));
        using var otherParams = await _api.PostRunWithKeyAsync(
            key,
            OrchRunApiClient.RunBody(OrchRunApiClient.IdOf(orchestrator), [new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["iterations"] = 2 } }]));

        var problem = await ProblemAssert.IsProblemAsync(otherOrchestrator, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await ProblemAssert.IsProblemAsync(otherParams, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(key));
        Assert.That(await _api.CountRunsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_WithTheSameKeyInAnotherNamespace_MakesAnotherRun()
    {
        var key = NewKey();
        using var other = BeyondTheSeedApis.Queueing.CreateApiClient();
        var otherOrchestrator = OrchRunApiClient.IdOf(await other.CreateOrchestratorAsync());

        using var here = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));
        using var there = await other.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(otherOrchestrator));

        Assert.That(here.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(there.StatusCode, Is.EqualTo(HttpStatusCode.OK), await there.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Create_WithoutAKey_MakesARunPerRequest()
    {
        (await _api.PostRunAsync(_orchestratorId)).Dispose();
        (await _api.PostRunAsync(_orchestratorId)).Dispose();

        Assert.That(await _api.CountRunsAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task Create_WhenTheKeysRunChangedMeanwhile_AnswersTheRunAsItIsNow()
    {
        var key = NewKey();
        using var first = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));
        var id = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.OK));
        (await _api.CancelRunAsync(id, id)).Dispose();

        using var retry = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));

        var run = await OrchRunApiClient.ReadObjectAsync(retry, HttpStatusCode.OK);
        Assert.That(OrchRunApiClient.IdOf(run), Is.EqualTo(id));
        Assert.That(Runs.StatusOf(run), Is.EqualTo("REQUEST_CANCEL"));
    }

    [Test]
    public async Task Create_WhenTheKeysRunWasDeleted_MakesANewRun()
    {
        var key = NewKey();
        using var first = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));
        var id = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.OK));
        (await _api.DeleteRunAsync(id)).Dispose();

        using var retry = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));

        var run = await OrchRunApiClient.ReadObjectAsync(retry, HttpStatusCode.OK);
        Assert.That(OrchRunApiClient.IdOf(run), Is.Not.EqualTo(id));
        Assert.That(await _api.CountRunsAsync(), Is.EqualTo(1));
    }

    [TestCase("has space")]
    [TestCase("tab\there")]
    public async Task Create_WhenTheKeyIsNotVisibleAscii_Returns400NamingTheHeader(string key)
    {
        using var response = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(_orchestratorId));

        await ProblemAssert.IsValidationProblemAsync(response, "Idempotency-Key");
        Assert.That(await _api.CountRunsAsync(), Is.Zero);
    }

    [Test]
    public async Task Create_WhenTheKeyIsLongerThan200Characters_Returns400()
    {
        using var longest = await _api.PostRunWithKeyAsync(new string('k', 200), OrchRunApiClient.RunBody(_orchestratorId));
        using var tooLong = await _api.PostRunWithKeyAsync(new string('k', 201), OrchRunApiClient.RunBody(_orchestratorId));

        Assert.That(longest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAssert.IsValidationProblemAsync(tooLong, "Idempotency-Key");
    }
}
