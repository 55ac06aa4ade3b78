using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Schedules;

public sealed class ScheduleTests : ApiTestBase
{
    private static readonly string[] ScheduleProperties =
        ["id", "orchestratorId", "_cron", "_timezone", "_actualparams", "_enabled", "_overlap", "_catchup", "_createdby", "_createdat", "_nextfireat"];

    [Test]
    public async Task Create_WhenValid_Returns200WithDefaultsAndFiveNextFireTimes()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var before = DateTimeOffset.UtcNow;

        var created = await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(OrchRunApiClient.IdOf(orchestrator), "*/5 * * * *"));

        var next = created["_nextfireat"]!.AsArray().Select(t => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(t!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.Select(p => p.Key), Is.EquivalentTo(ScheduleProperties));
            Assert.That(created["_timezone"]!.GetValue<string>(), Is.EqualTo("UTC"));
            Assert.That(created["_enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(created["_overlap"]!.GetValue<string>(), Is.EqualTo("skip"));
            Assert.That(created["_catchup"]!.GetValue<string>(), Is.EqualTo("none"));
            Assert.That(created["_createdby"]!.GetValue<string>(), Is.EqualTo(OrchRunApiFactory.DefaultUser));
            Assert.That(created["_createdat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(next, Has.Count.EqualTo(5));
            Assert.That(next[0], Is.GreaterThan(before));
            Assert.That(next.Zip(next.Skip(1), (a, b) => b - a), Is.All.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(next.Select(t => t.Minute % 5), Is.All.EqualTo(0));
        }
    }

    [Test]
    public async Task Get_WhenCreated_ReturnsTheSameSchedule()
    {
        var orchestrator = await Api.CreateOrchestratorAsync();
        var body = ScheduleApi.Body(OrchRunApiClient.IdOf(orchestrator), "30 2 * * *", "Europe/Berlin");
        body["_overlap"] = "cancel-previous";
        body["_catchup"] = "last";
        body["_startat"] = "1893456000000";
        var created = await ScheduleApi.CreateAsync(Api, body);

        using var response = await ScheduleApi.GetAsync(Api, OrchRunApiClient.IdOf(created));
        var read = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read["_timezone"]!.GetValue<string>(), Is.EqualTo("Europe/Berlin"));
            Assert.That(read["_overlap"]!.GetValue<string>(), Is.EqualTo("cancel-previous"));
            Assert.That(read["_catchup"]!.GetValue<string>(), Is.EqualTo("last"));
            Assert.That(read["_startat"]!.GetValue<string>(), Is.EqualTo("1893456000000"));
            // 2030-01-01T00:00Z is 01:00 in Berlin: the first fire is that day at 02:30 CET.
            Assert.That(read["_nextfireat"]![0]!.GetValue<string>(), Is.EqualTo(DateTimeOffset.Parse("2030-01-01T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task List_WhenSchedulesExist_ReturnsTheEnvelopeNewestFirst()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var first = await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator));
        var second = await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator));

        using var response = await ScheduleApi.ListAsync(Api, "_pageSize=1&_offset=0");
        var page = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(page["_pageSize"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(page["_offset"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(page["_list"]!.AsArray().Select(s => OrchRunApiClient.IdOf(s!)), Is.EqualTo(new[] { OrchRunApiClient.IdOf(second) }));
            Assert.That(OrchRunApiClient.IdOf(first), Is.Not.EqualTo(OrchRunApiClient.IdOf(second)));
        }
    }

    [Test]
    public async Task Update_WhenPaused_HasNoNextFireTimesAndAnUpdateTime()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var created = await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator));
        var body = ScheduleApi.Body(orchestrator);
        body["_enabled"] = false;

        using var response = await ScheduleApi.PutAsync(Api, OrchRunApiClient.IdOf(created), body);
        var updated = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated["_enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(updated["_nextfireat"]!.AsArray(), Is.Empty);
            Assert.That(updated["_updatedat"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
        }
    }

    [Test]
    public async Task Delete_WhenExists_Returns204AndThenNotFound()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var id = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator)));

        using var deleted = await ScheduleApi.DeleteAsync(Api, id);
        using var read = await ScheduleApi.GetAsync(Api, id);
        using var history = await ScheduleApi.HistoryAsync(Api, id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(history.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task History_WhenNothingFiredYet_IsAnEmptyPage()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var id = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator)));

        using var response = await ScheduleApi.HistoryAsync(Api, id);
        var page = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_total"]!.GetValue<int>(), Is.Zero);
            Assert.That(page["_list"]!.AsArray(), Is.Empty);
        }
    }

    [Test]
    public async Task Get_WhenTheScheduleIsOfAnotherNamespace_Returns404()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var id = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator)));
        using var other = Factory.CreateApiClient();

        using var response = await ScheduleApi.GetAsync(other, id);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Create_WhenTheTokenLacksTheNamespace_Returns403()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        using var http = Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OrchRunApiFactory.TokenFor("bob", "someone_else"));
        using var bob = new OrchRunApiClient(http, Api.Namespace);

        using var response = await ScheduleApi.PostAsync(bob, ScheduleApi.Body(orchestrator));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    public static IEnumerable<TestCaseData> InvalidBodies()
    {
        yield return Case(b => b.Remove("_cron"), "_cron", "cron missing");
        yield return Case(b => b["_cron"] = "* * *", "_cron", "three fields");
        yield return Case(b => b["_cron"] = "*/10 * * * * *", "_cron", "every 10 s under the 60 s minimum");
        yield return Case(b => b["_cron"] = "0 0 31 2 *", "_cron", "never fires");
        yield return Case(b => b["_timezone"] = "Mars/Base", "_timezone", "unknown zone");
        yield return Case(b => b["_timezone"] = "../../etc/passwd", "_timezone", "a path");
        yield return Case(b => b["_overlap"] = "sometimes", "_overlap", "unknown overlap");
        yield return Case(b => b["_catchup"] = "ALL", "_catchup", "catch-up is case-sensitive");
        yield return Case(b => b["_startat"] = "yesterday", "_startat", "start not epoch ms");
        yield return Case(b => b["_endat"] = "-5", "_endat", "negative end");
        yield return Case(b => { b["_startat"] = "1893456000000"; b["_endat"] = "1893455000000"; }, "_endat", "end before start");
        yield return Case(b => b["orchestratorId"] = "nope", "orchestratorId", "orchestrator not a GUID");
        yield return Case(b => b["orchestratorId"] = Guid.NewGuid().ToString(), "orchestratorId", "unknown orchestrator");
        yield return Case(b => b.Remove("_actualparams"), "_actualparams", "params missing");
        yield return Case(b => b["_actualparams"] = new JsonArray(new JsonObject { ["sequence_type_id"] = Guid.NewGuid().ToString(), ["params"] = new JsonObject() }), "_actualparams[0].sequence_type_id", "unknown step");
    }

    [TestCaseSource(nameof(InvalidBodies))]
    public async Task Create_WhenTheBodyIsInvalid_Returns400NamingTheField(Action<JsonObject> spoil, string field)
    {
        ArgumentNullException.ThrowIfNull(spoil);
        var body = ScheduleApi.Body(OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync()));
        spoil(body);

        using var response = await ScheduleApi.PostAsync(Api, body);

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task Update_WhenTheBodyIdDiffers_Returns400()
    {
        var orchestrator = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var id = OrchRunApiClient.IdOf(await ScheduleApi.CreateAsync(Api, ScheduleApi.Body(orchestrator)));
        var body = ScheduleApi.Body(orchestrator);
        body["id"] = Guid.NewGuid().ToString();

        using var response = await ScheduleApi.PutAsync(Api, id, body);

        await ProblemAssert.IsValidationProblemAsync(response, "body.id");
    }

    private static TestCaseData Case(Action<JsonObject> spoil, string field, string name) =>
        new TestCaseData(spoil, field).SetArgDisplayNames(name);
}
