using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>A step's _startedat and _finishedat (epoch-millisecond strings), end to end with the worker.</summary>
public sealed class StepTimesTests
{
    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.WithWorker.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    [Test]
    public async Task Get_WhenTheRunCompleted_EveryStepCarriesItsStartAndEndInOrder()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 2, intervalMs: 50, name: "first"), Runs.TestStep(iterations: 2, intervalMs: 50, name: "second"));

        var run = await _api.WaitUntilFinishedAsync(id);

        var steps = run["orchrunsteps"]!.AsArray().Select(s => s!.AsObject()).OrderBy(s => s["_sequenceno"]!.GetValue<int>()).ToList();
        var createdAt = long.Parse(run["_createdat"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Runs.StatusOf(run), Is.EqualTo("COMPLETED"));
            Assert.That(steps.Select(s => TimeOf(s, "_startedat")), Is.All.GreaterThanOrEqualTo(createdAt));
            Assert.That(TimeOf(steps[0], "_finishedat"), Is.GreaterThanOrEqualTo(TimeOf(steps[0], "_startedat") + 50), "two loops 50 ms apart");
            Assert.That(TimeOf(steps[1], "_startedat"), Is.GreaterThanOrEqualTo(TimeOf(steps[0], "_finishedat")), "the second step starts after the first ended");
            Assert.That(TimeOf(steps[1], "_finishedat"), Is.GreaterThanOrEqualTo(TimeOf(steps[1], "_startedat")));
        }
    }

    private static long TimeOf(JsonObject step, string name)
    {
        var text = step[name]?.GetValue<string>();
        Assert.That(text, Does.Match("^[0-9]{13}$"), $"{name} is epoch milliseconds as a string");
        return long.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
