using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Schedules;

/// <summary>
/// Schedules firing on a real clock, in a service with the worker on and a one-second minimum
/// interval: a seconds cron fires every second.
/// </summary>
[NonParallelizable]
public sealed class ScheduleFiringTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private OrchRunApiFactory? _factory;

    private OrchRunApiFactory Factory => _factory ?? throw new InvalidOperationException("Started in OneTimeSetUp.");

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new OrchRunApiFactory(new Dictionary<string, string?>
        {
            ["Worker:Enabled"] = "true",
            ["Worker:PollIntervalMs"] = "100",
            ["Schedules:MinIntervalSeconds"] = "1",
            ["Schedules:ScanIntervalMs"] = "200",
        });
        _factory.StartServer();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task Schedule_WhenASecondsCronIsDue_CreatesOneRunPerSlotCarryingScheduleAndSlot()
    {
        using var api = Factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        var body = ScheduleApi.Body(orchestrator, "* * * * * *");
        body["_overlap"] = "queue";
        var schedule = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(api, body));

        var fired = await WaitForHistoryAsync(api, schedule, h => h.Count(f => Outcome(f) == "fired") >= 3);
        var runs = (await api.ListRunsPageAsync("_pageSize=100"))["_list"]!.AsArray().Select(r => r!.AsObject()).ToList();

        var firedSlots = fired.Where(f => Outcome(f) == "fired").ToDictionary(f => f["runId"]!.GetValue<string>(), f => f["_slot"]!.GetValue<string>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fired.Select(f => f["_slot"]!.GetValue<string>()), Is.Unique);
            foreach (var run in runs.Where(r => firedSlots.ContainsKey(OrchRunApiClient.IdOf(r))))
            {
                Assert.That(run["_scheduleid"]!.GetValue<string>(), Is.EqualTo(schedule));
                Assert.That(run["_scheduledfor"]!.GetValue<string>(), Is.EqualTo(firedSlots[OrchRunApiClient.IdOf(run)]));
                Assert.That(long.Parse(run["_scheduledfor"]!.GetValue<string>(), CultureInfo.InvariantCulture) % 1000, Is.Zero, "a slot is a whole second");
            }

            Assert.That(runs.Count(r => firedSlots.ContainsKey(OrchRunApiClient.IdOf(r))), Is.EqualTo(firedSlots.Count));
        }
    }

    [Test]
    public async Task Schedule_WhenPaused_FiresNoMoreAndItsRunsStay()
    {
        using var api = Factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        var body = ScheduleApi.Body(orchestrator, "* * * * * *");
        body["_overlap"] = "queue";
        var schedule = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(api, body));
        await WaitForHistoryAsync(api, schedule, h => h.Count >= 1);

        body["_enabled"] = false;
        (await ScheduleApi.PutAsync(api, schedule, body)).Dispose();
        var atPause = (await ReadHistoryAsync(api, schedule)).Count;
        var runsAtPause = (await api.ListRunsPageAsync())["_total"]!.GetValue<int>();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var later = (await ReadHistoryAsync(api, schedule)).Count;
        using var deleted = await ScheduleApi.DeleteAsync(api, schedule);
        var runsAfterDelete = (await api.ListRunsPageAsync())["_total"]!.GetValue<int>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(later, Is.EqualTo(atPause), "no slot is handled while paused");
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(runsAfterDelete, Is.EqualTo(runsAtPause), "deleting the schedule keeps its runs");
        }
    }

    [Test]
    public async Task Schedule_WhenOverlapIsSkipAndItsRunIsStillRunning_RecordsSkippedSlots()
    {
        using var api = Factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync(stepParams: new JsonObject { ["iterations"] = 30, ["intervalMs"] = 200 }));
        var schedule = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(api, ScheduleApi.Body(orchestrator, "* * * * * *")));

        var history = await WaitForHistoryAsync(api, schedule, h => h.Any(f => Outcome(f) == "skipped-overlap"));
        (await ScheduleApi.DeleteAsync(api, schedule)).Dispose();

        var skipped = history.First(f => Outcome(f) == "skipped-overlap");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(history.Count(f => Outcome(f) == "fired"), Is.EqualTo(1), "one run at a time");
            Assert.That(skipped["_reason"]!.GetValue<string>(), Does.Contain("still"));
            Assert.That(skipped.ContainsKey("runId"), Is.False);
        }
    }

    [Test]
    public async Task Metrics_AfterSlotsFired_CountsThemByOutcome()
    {
        using var api = Factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        var schedule = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(api, ScheduleApi.Body(orchestrator, "* * * * * *")));
        await WaitForHistoryAsync(api, schedule, h => h.Any(f => Outcome(f) == "fired"));
        (await ScheduleApi.DeleteAsync(api, schedule)).Dispose();

        using var anonymous = Factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var text = await anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Match("orchrun_schedule_slots_total\\{[^}]*outcome=\"fired\"[^}]*\\} [1-9]"));
            Assert.That(text, Does.Contain("orchrun_schedule_fire_lag_seconds_bucket"));
        }
    }

    private static string Outcome(JsonObject fire) => fire["_outcome"]!.GetValue<string>();

    private static async Task<List<JsonObject>> ReadHistoryAsync(OrchRunApiClient api, string schedule)
    {
        using var response = await api.Http.GetAsync(api.Url($"{ScheduleApi.Path}/{schedule}/history", "_pageSize=1000"));
        var page = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
        return page["_list"]!.AsArray().Select(f => f!.AsObject()).ToList();
    }

    private static async Task<List<JsonObject>> WaitForHistoryAsync(OrchRunApiClient api, string schedule, Func<List<JsonObject>, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var history = await ReadHistoryAsync(api, schedule);
            if (done(history) || DateTimeOffset.UtcNow > deadline)
            {
                Assert.That(done(history), Is.True, $"history after {Patience.TotalSeconds} s: {string.Join(", ", history.Select(Outcome))}");
                return history;
            }

            await Task.Delay(100);
        }
    }
}
