using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

/// <summary>Runs:MaxQueuedPerNamespace set in configuration, on an API of its own.</summary>
public sealed class ConfiguredQueuedRunLimitTests
{
    private OrchRunApiFactory? _factory;

    [OneTimeSetUp]
    public void StartApi() =>
        _factory = new OrchRunApiFactory(new Dictionary<string, string?> { ["Runs:MaxQueuedPerNamespace"] = "3" });

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task Create_WhenLimitIsConfiguredToThree_RefusesTheFourthQueuedRun()
    {
        using var api = _factory!.CreateApiClient();
        var orchestratorId = await QueuedRunLimitTests.FillQueueAsync(api, 3);

        using var response = await api.PostRunAsync(orchestratorId);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests, "queue-limit");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null);
    }
}
