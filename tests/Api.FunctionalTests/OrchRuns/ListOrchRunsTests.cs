using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

public sealed class ListOrchRunsTests : ApiTestBase
{
    private static readonly DateTimeOffset Jan30 = new(2023, 1, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Jan31 = new(2023, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb01 = new(2023, 2, 1, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task List_WhenNamespaceHasNoRuns_ReturnsEmptyEnvelope()
    {
        using var response = await Api.ListRunsAsync();
        var page = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(page.Select(p => p.Key), Is.EqualTo(new[] { "_offset", "_pageSize", "_total", "_list" }));
            Assert.That(page["_offset"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
            Assert.That(page["_offset"]!.GetValue<int>(), Is.Zero);
            Assert.That(page["_pageSize"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(page["_total"]!.GetValue<int>(), Is.Zero);
            Assert.That(page["_list"]!.AsArray(), Is.Empty);
        }
    }

    [Test]
    public async Task List_WhenRunsExist_ReturnsThemNewestFirstWithTotal()
    {
        var created = await CreateRunsAsync(3);

        var page = await Api.ListRunsPageAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(IdsOf(page), Is.EqualTo(created.AsEnumerable().Reverse().ToList()));
            Assert.That(page["_list"]![0]!["orchrunsteps"]!.AsArray(), Has.Count.EqualTo(1), "list items carry their steps");
        }
    }

    [Test]
    public async Task List_WhenPagedThrough_PagesAreDisjointStableAndCoverEveryRun()
    {
        var created = await CreateRunsAsync(5);

        var pages = new List<JsonObject>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            pages.Add(await Api.ListRunsPageAsync($"_pageSize=2&_offset={offset}"));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages.Select(p => p["_offset"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 2, 4 }));
            Assert.That(pages.Select(p => p["_pageSize"]!.GetValue<int>()), Is.All.EqualTo(2));
            Assert.That(pages.Select(p => p["_total"]!.GetValue<int>()), Is.All.EqualTo(5));
            Assert.That(pages.Select(p => IdsOf(p).Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(pages.SelectMany(IdsOf), Is.EqualTo(created.AsEnumerable().Reverse().ToList()));
        }
    }

    [Test]
    public async Task List_WhenRunsShareACreationTime_OrdersThemByIdDescending()
    {
        var created = await CreateRunsAsync(3);
        foreach (var id in created)
        {
            await Factory.SetRunCreatedAtAsync(id, Jan31);
        }

        var first = await Api.ListRunsPageAsync("_pageSize=2");
        var second = await Api.ListRunsPageAsync("_pageSize=2&_offset=2");

        // The ids are compared as the database orders them: as text, which for GUIDs is their hex order.
        var expected = created.OrderByDescending(id => id.ToUpperInvariant(), StringComparer.Ordinal).ToList();
        Assert.That(IdsOf(first).Concat(IdsOf(second)), Is.EqualTo(expected));
    }

    [Test]
    public async Task List_WhenOffsetIsBeyondTheLastRun_ReturnsEmptyListAndTotal()
    {
        await CreateRunsAsync(2);

        var page = await Api.ListRunsPageAsync("_offset=5");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_list"]!.AsArray(), Is.Empty);
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(page["_offset"]!.GetValue<int>(), Is.EqualTo(5));
        }
    }

    [Test]
    public async Task List_WhenAnotherNamespaceHasRuns_DoesNotShowThem()
    {
        using var other = Factory.CreateApiClient();
        await other.CreateOrchestratorAndRunAsync();
        var mine = await CreateRunsAsync(1);

        var page = await Api.ListRunsPageAsync();

        Assert.That(IdsOf(page), Is.EqualTo(mine));
    }

    [Test]
    public async Task List_WhenOneStatusGiven_ReturnsOnlyRunsOfThatStatus()
    {
        var (queued, cancelRequested, completed) = await CreateRunsOfThreeStatusesAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdsOf(await Api.ListRunsPageAsync("_status=QUEUED")), Is.EqualTo(new[] { queued }));
            Assert.That(IdsOf(await Api.ListRunsPageAsync("_status=REQUEST_CANCEL")), Is.EqualTo(new[] { cancelRequested }));
            Assert.That(IdsOf(await Api.ListRunsPageAsync("_status=COMPLETED")), Is.EqualTo(new[] { completed }));
            Assert.That(IdsOf(await Api.ListRunsPageAsync("_status=FAILED")), Is.Empty);
        }
    }

    [Test]
    public async Task List_WhenStatusIsACommaSeparatedList_ReturnsRunsOfAnyOfThem()
    {
        var (queued, _, completed) = await CreateRunsOfThreeStatusesAsync();

        var page = await Api.ListRunsPageAsync("_status=" + Uri.EscapeDataString("QUEUED,COMPLETED"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdsOf(page), Is.EquivalentTo(new[] { queued, completed }));
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task List_WhenParametersAreEmpty_TreatsThemAsAbsent()
    {
        var created = await CreateRunsAsync(2);

        var page = await Api.ListRunsPageAsync("_status=&startDate=&endDate=&_pageSize=&_offset=");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdsOf(page), Is.EqualTo(created.AsEnumerable().Reverse().ToList()));
            Assert.That(page["_pageSize"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(page["_offset"]!.GetValue<int>(), Is.Zero);
        }
    }

    [TestCase("_status=QUEUED&_status=COMPLETED", "_status")]
    [TestCase("_pageSize=5&_pageSize=5", "_pageSize")]
    [TestCase("_offset=0&_offset=1", "_offset")]
    [TestCase("startDate=2023-01-01&startDate=2023-01-02", "startDate")]
    [TestCase("endDate=2023-01-01&endDate=2023-01-02", "endDate")]
    public async Task List_WhenASingleValuedParameterIsRepeated_Returns400(string query, string field)
    {
        using var response = await Api.ListRunsAsync(query);

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task List_WhenNsfilterIsRepeated_Returns400()
    {
        using var response = await Api.ListRunsAsync("nsfilter=" + Api.Namespace);

        await ProblemAssert.IsValidationProblemAsync(response, "nsfilter");
    }

    [TestCase("_pageSize=0", "_pageSize")]
    [TestCase("_pageSize=1001", "_pageSize")]
    [TestCase("_pageSize=-5", "_pageSize")]
    [TestCase("_pageSize=abc", "_pageSize")]
    [TestCase("_pageSize=99999999999", "_pageSize")]
    [TestCase("_offset=-1", "_offset")]
    [TestCase("_offset=1.5", "_offset")]
    [TestCase("_status=DONE", "_status")]
    [TestCase("_status=QUEUED,,COMPLETED", "_status")]
    [TestCase("_status=QUEUED,RUNNNING", "_status")]
    [TestCase("startDate=yesterday", "startDate")]
    [TestCase("startDate=2023-02-30", "startDate")]
    [TestCase("startDate=31/01/2023", "startDate")]
    [TestCase("startDate=-1", "startDate")]
    [TestCase("startDate=99999999999999999999", "startDate")]
    [TestCase("endDate=2023-13-01", "endDate")]
    [TestCase("endDate=2023-01-31T25:00:00Z", "endDate")]
    public async Task List_WhenAParameterIsInvalid_Returns400WithAnErrorForThatField(string query, string field)
    {
        using var response = await Api.ListRunsAsync(query);

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [TestCase("startDate=2023-02-01&endDate=2023-01-31")]
    [TestCase("startDate=2023-01-31T12:00:00.001Z&endDate=2023-01-31T12:00:00Z")]
    [TestCase("startDate=1675166400001&endDate=1675166400000")]
    public async Task List_WhenStartDateIsAfterEndDate_Returns400(string query)
    {
        using var response = await Api.ListRunsAsync(query);

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "startDate");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("after endDate"));
    }

    [Test]
    public async Task List_WhenStartDateIsLaterOnTheSameDayAsADateOnlyEndDate_Returns200()
    {
        using var response = await Api.ListRunsAsync("startDate=2023-01-31T23:59:59Z&endDate=2023-01-31");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("startDate=2023-01-31&endDate=2023-01-31", "B")]
    [TestCase("startDate=2023-01-31", "C,B")]
    [TestCase("endDate=2023-01-31", "B,A")]
    [TestCase("startDate=2023-01-31T12:00:00Z&endDate=2023-02-01T08:00:00Z", "C,B")]
    [TestCase("startDate=2023-01-31T12:00:00.001Z", "C")]
    [TestCase("endDate=2023-01-31T11:59:59.999Z", "A")]
    [TestCase("startDate=2023-01-31T13:00:00%2B01:00&endDate=2023-01-31T13:00:00%2B01:00", "B")]
    [TestCase("endDate=2023-01-31T12:00:00", "B,A")]
    [TestCase("startDate=1675166400000&endDate=1675166400000", "B")]
    [TestCase("startDate=1675166400001", "C")]
    [TestCase("startDate=2023-01-30&endDate=1675166399999", "A")]
    [TestCase("startDate=2023-02-02", "")]
    public async Task List_WhenDateFiltersGiven_AppliesThemInclusivelyToCreationTime(string query, string expected)
    {
        // A = 2023-01-30T10:00Z, B = 2023-01-31T12:00Z (1675166400000), C = 2023-02-01T08:00Z.
        var runs = await CreateRunsAsync(3);
        var byName = new Dictionary<string, string> { ["A"] = runs[0], ["B"] = runs[1], ["C"] = runs[2] };
        await Factory.SetRunCreatedAtAsync(byName["A"], Jan30);
        await Factory.SetRunCreatedAtAsync(byName["B"], Jan31);
        await Factory.SetRunCreatedAtAsync(byName["C"], Feb01);

        var page = await Api.ListRunsPageAsync(query);

        var expectedIds = expected.Length == 0 ? [] : expected.Split(',').Select(n => byName[n]).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdsOf(page), Is.EqualTo(expectedIds), query);
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(expectedIds.Count));
        }
    }

    [TestCase("endDate=9999-12-31")]
    [TestCase("startDate=9999-12-31&endDate=9999-12-31")]
    [TestCase("startDate=0001-01-01&endDate=253402300799999")]
    public async Task List_WhenDatesAreAtTheEdgesOfTheCalendar_Returns200(string query)
    {
        var runs = await CreateRunsAsync(1);

        var page = await Api.ListRunsPageAsync(query);

        Assert.That(IdsOf(page), Is.EqualTo(query.StartsWith("startDate=9999", StringComparison.Ordinal) ? [] : runs));
    }

    [Test]
    public async Task List_WhenRunWasCreatedAtAKnownInstant_ShowsItAsEpochMillisecondsString()
    {
        var runs = await CreateRunsAsync(1);
        await Factory.SetRunCreatedAtAsync(runs[0], Jan31);

        var page = await Api.ListRunsPageAsync();

        Assert.That(page["_list"]![0]!["_createdat"]!.GetValue<string>(), Is.EqualTo("1675166400000"));
    }

    private async Task<List<string>> CreateRunsAsync(int count)
    {
        var orchestratorId = OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync());
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(OrchRunApiClient.IdOf(await Api.CreateRunAsync(orchestratorId)));
        }

        return ids;
    }

    private async Task<(string Queued, string CancelRequested, string Completed)> CreateRunsOfThreeStatusesAsync()
    {
        var runs = await CreateRunsAsync(3);
        using (var cancel = await Api.CancelRunAsync(runs[1], runs[1]))
        {
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Factory.SetRunStatusAsync(runs[2], OrchRunStatus.Completed);
        return (runs[0], runs[1], runs[2]);
    }

    private static List<string> IdsOf(JsonObject page) =>
        page["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)).ToList();

    [Test]
    public async Task List_WhenOrchestratorIdGiven_ReturnsOnlyThatOrchestratorsRunsWithTheirTotal()
    {
        var first = await Api.CreateOrchestratorAsync("first");
        var second = await Api.CreateOrchestratorAsync("second");
        var firstRuns = new[] { await Api.CreateRunAsync(OrchRunApiClient.IdOf(first)), await Api.CreateRunAsync(OrchRunApiClient.IdOf(first)) };
        await Api.CreateRunAsync(OrchRunApiClient.IdOf(second));

        var page = await Api.ListRunsPageAsync("orchestratorId=" + OrchRunApiClient.IdOf(first));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(page["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)), Is.EquivalentTo(firstRuns.Select(OrchRunApiClient.IdOf)));
        }
    }

    [Test]
    public async Task List_WhenOrchestratorIdIsNotAGuid_Returns400ForIt()
    {
        using var response = await Api.ListRunsAsync("orchestratorId=nope");

        await ProblemAssert.IsValidationProblemAsync(response, "orchestratorId");
    }

    [Test]
    public async Task List_WhenOrchestratorIdIsEmpty_ListsEveryOrchestratorsRuns()
    {
        var run = await Api.CreateRunAsync(OrchRunApiClient.IdOf(await Api.CreateOrchestratorAsync("any")));

        var page = await Api.ListRunsPageAsync("orchestratorId=");

        Assert.That(page["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)), Does.Contain(OrchRunApiClient.IdOf(run)));
    }
}
