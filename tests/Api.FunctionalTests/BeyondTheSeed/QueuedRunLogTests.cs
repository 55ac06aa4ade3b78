using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>Following the log of a run that has not started (no worker): the stream opens at once and ends when the run goes away.</summary>
public sealed class QueuedRunLogTests
{
    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.Queueing.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    [TestCase(Runs.NdjsonType)]
    [TestCase(Runs.EventStreamType)]
    public async Task Follow_WhenTheRunIsStillQueued_AnswersTheHeadersAtOnce(string accept)
    {
        var (_, run) = await _api.CreateOrchestratorAndRunAsync();
        using var headers = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        using var response = await _api.OpenLogsAsync(OrchRunApiClient.IdOf(run), "follow=true", accept, headers.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(accept));
    }

    [Test]
    public async Task Follow_WhenTheRunIsDeletedMeanwhile_EndsTheAnswer()
    {
        var (_, run) = await _api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(run);
        using var response = await _api.OpenLogsAsync(id, "follow=true", Runs.NdjsonType);
        var body = response.Content.ReadAsStringAsync();

        using (var deleted = await _api.DeleteRunAsync(id))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(await body.WaitAsync(TimeSpan.FromSeconds(5)), Is.Empty);
    }
}
