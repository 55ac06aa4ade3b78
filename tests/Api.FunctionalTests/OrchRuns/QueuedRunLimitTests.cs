using System.Net;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

/// <summary>The queued-run limit with its default of 20, on the shared API.</summary>
public sealed class QueuedRunLimitTests : ApiTestBase
{
    private const int DefaultLimit = 20;

    [Test]
    public async Task Create_WhenNamespaceAlreadyHoldsTwentyQueuedRuns_Returns429WithRetryAfter()
    {
        var orchestratorId = await FillQueueAsync(Api, DefaultLimit);

        using var response = await Api.PostRunAsync(orchestratorId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests, "queue-limit");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero), "Retry-After in seconds");
            Assert.That((await Api.ListRunsPageAsync())["_total"]!.GetValue<int>(), Is.EqualTo(DefaultLimit), "the refused run was not stored");
        }
    }

    [Test]
    public async Task Create_WhenAQueuedRunIsCancelled_FreesOneSlot()
    {
        var orchestratorId = await FillQueueAsync(Api, DefaultLimit);
        var oldest = (await Api.ListRunsPageAsync("_offset=19"))["_list"]![0]!;
        var oldestId = OrchRunApiClient.IdOf(oldest);
        (await Api.CancelRunAsync(oldestId, oldestId)).Dispose();

        using var admitted = await Api.PostRunAsync(orchestratorId);
        using var refused = await Api.PostRunAsync(orchestratorId);

        Assert.That(admitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await admitted.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "queue-limit");
    }

    [Test]
    public async Task Create_WhenOtherRunsAreNotQueued_DoesNotCountThem()
    {
        var orchestratorId = await FillQueueAsync(Api, DefaultLimit);
        var page = await Api.ListRunsPageAsync();
        var statuses = new[] { OrchRunStatus.Running, OrchRunStatus.Completed, OrchRunStatus.Failed, OrchRunStatus.Cancelled, OrchRunStatus.RequestCancel };
        var runs = page["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)).ToList();
        for (var i = 0; i < statuses.Length; i++)
        {
            await Factory.SetRunStatusAsync(runs[i], statuses[i]);
        }

        for (var i = 0; i < statuses.Length; i++)
        {
            using var admitted = await Api.PostRunAsync(orchestratorId);
            Assert.That(admitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"create {i + 1} after freeing {statuses.Length} slots");
        }

        using var refused = await Api.PostRunAsync(orchestratorId);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "queue-limit");
    }

    [Test]
    public async Task Create_WhenAnotherNamespaceIsFull_IsNotAffected()
    {
        using var full = Factory.CreateApiClient();
        await FillQueueAsync(full, DefaultLimit);

        using var response = await Api.PostRunAsync(OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Create_WhenHundredCreatesRaceIntoAnEmptyNamespace_ExactlyTwentyAreAdmitted()
    {
        var orchestratorId = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Api.PostRunAsync(orchestratorId))));

        try
        {
            var statuses = responses.Select(r => r.StatusCode).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(DefaultLimit));
                Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(100 - DefaultLimit),
                    string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}")));
                Assert.That((await Api.ListRunsPageAsync())["_total"]!.GetValue<int>(), Is.EqualTo(DefaultLimit));
                Assert.That((await Api.ListRunsPageAsync("_status=QUEUED"))["_total"]!.GetValue<int>(), Is.EqualTo(DefaultLimit));
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

    /// <summary>Creates an orchestrator and <paramref name="count"/> runs of it, each admitted.</summary>
    internal static async Task<string> FillQueueAsync(OrchRunApiClient api, int count)
    {
        var orchestratorId = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        for (var i = 0; i < count; i++)
        {
            using var response = await api.PostRunAsync(orchestratorId);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"run {i + 1} of {count}: {await response.Content.ReadAsStringAsync()}");
        }

        return orchestratorId;
    }
}
