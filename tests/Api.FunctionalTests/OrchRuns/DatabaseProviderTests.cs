using System.Net;
using OrchRunService.Api.FunctionalTests.BeyondTheSeed;
using OrchRunService.Api.FunctionalTests.Support;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.FunctionalTests.OrchRuns;

/// <summary>
/// The API's database paths on each provider: the same requests, the same answers. On
/// PostgreSQL they run every provider-specific statement (namespace lock, kept counts,
/// binary collation, timestamptz) against a real server.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class DatabaseProviderTests
{
    private const int DefaultLimit = 20;

    private readonly DatabaseProvider _provider;
    private OrchRunApiFactory? _factory;
    private PostgresTestDatabase? _database;
    private OrchRunApiClient _api = null!;

    public DatabaseProviderTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private OrchRunApiFactory Factory => _factory ?? throw new InvalidOperationException("The API is created in OneTimeSetUp.");

    [OneTimeSetUp]
    public async Task StartApi()
    {
        var (settings, database) = await DatabaseProviders.SettingsAsync(_provider);
        _database = database;
        _factory = new OrchRunApiFactory(settings);
        _factory.CreateClient().Dispose();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateClient() => _api = Factory.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    [Test]
    public async Task CreateGetListDelete_WhenRunIsCreated_ReadsItBackAsCreatedAndDeletesIt()
    {
        var (orchestrator, run) = await _api.CreateOrchestratorAndRunAsync();
        var id = OrchRunApiClient.IdOf(run);

        var got = await OrchRunApiClient.ReadArrayAsync(await _api.GetRunAsync(id), HttpStatusCode.OK);
        var page = await _api.ListRunsPageAsync();
        using var deleted = await _api.DeleteRunAsync(id);
        using var gone = await _api.GetRunAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(OrchRunApiClient.IdOf(got[0]!), Is.EqualTo(id));
            Assert.That(got[0]!["_name"]!.GetValue<string>(), Is.EqualTo(orchestrator["_name"]!.GetValue<string>()));
            Assert.That(got[0]!["_createdat"]!.ToString(), Is.EqualTo(run["_createdat"]!.ToString()), "the creation time survives the round trip to the millisecond");
            Assert.That(got[0]!["_status"]!.GetValue<string>(), Is.EqualTo("QUEUED"));
            Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await _api.ListRunsPageAsync())["_total"]!.GetValue<int>(), Is.Zero, "the kept count follows the delete");
        }
    }

    [Test]
    public async Task List_WhenRunsHaveSeveralStatuses_TotalsEachFilterFromTheKeptCounts()
    {
        var orchestratorId = await QueuedRunLimitTests.FillQueueAsync(_api, 6);
        var ids = (await _api.ListRunsPageAsync())["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)).ToList();
        await Factory.SetRunStatusAsync(ids[0], OrchRunStatus.Completed);
        await Factory.SetRunStatusAsync(ids[1], OrchRunStatus.Completed);
        await Factory.SetRunStatusAsync(ids[2], OrchRunStatus.Failed);
        (await _api.CancelRunAsync(ids[3], ids[3])).Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orchestratorId, Is.Not.Empty);
            Assert.That((await _api.ListRunsPageAsync())["_total"]!.GetValue<int>(), Is.EqualTo(6));
            Assert.That((await _api.ListRunsPageAsync("_status=QUEUED"))["_total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That((await _api.ListRunsPageAsync("_status=COMPLETED"))["_total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That((await _api.ListRunsPageAsync("_status=COMPLETED,FAILED"))["_total"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That((await _api.ListRunsPageAsync("_status=REQUEST_CANCEL,CANCELLED"))["_total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That((await _api.ListRunsPageAsync("_pageSize=2&_offset=4"))["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)), Is.EqualTo(ids[4..6]));
        }
    }

    [Test]
    public async Task Get_WhenTheNamespaceDiffersOnlyInCase_DoesNotFindTheRun()
    {
        var upper = "T_" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        using var owner = new OrchRunApiClient(Factory.CreateClient(), upper);
        using var other = new OrchRunApiClient(Factory.CreateClient(), upper.ToLowerInvariant());
        var (_, run) = await owner.CreateOrchestratorAndRunAsync();

        using var response = await other.GetRunAsync(OrchRunApiClient.IdOf(run));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await other.ListRunsPageAsync())["_total"]!.GetValue<int>(), Is.Zero);
        }
    }

    [Test]
    public async Task Create_WhenTheIdempotencyKeyDiffersOnlyInCase_MakesTwoRuns()
    {
        var orchestratorId = OrchRunApiClient.IdOf(await _api.CreateOrchestratorAsync());
        var key = "Key-" + Guid.NewGuid().ToString("N");

        using var first = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(orchestratorId));
        using var again = await _api.PostRunWithKeyAsync(key, OrchRunApiClient.RunBody(orchestratorId));
        using var lower = await _api.PostRunWithKeyAsync(key.ToLowerInvariant(), OrchRunApiClient.RunBody(orchestratorId));

        var a = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(first, HttpStatusCode.OK));
        var b = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(again, HttpStatusCode.OK));
        var c = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(lower, HttpStatusCode.OK));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
            Assert.That(await _api.CountRunsAsync(), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Create_When1000CreatesRaceOverTenNamespaces_AdmitsExactlyTwentyInEach()
    {
        var clients = Enumerable.Range(0, 10).Select(_ => Factory.CreateApiClient()).ToList();
        try
        {
            var orchestrators = await Task.WhenAll(clients.Select(async c => OrchRunApiClient.IdOf(await c.CreateOrchestratorAsync())));

            // A hundred in flight at a time (ten per namespace): the race, without asking the
            // shared test machine for a thousand database connections at once.
            using var inFlight = new SemaphoreSlim(100);
            var statuses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
            {
                await inFlight.WaitAsync();
                try
                {
                    using var response = await clients[i % 10].PostRunAsync(orchestrators[i % 10]);
                    return response.StatusCode;
                }
                finally
                {
                    inFlight.Release();
                }
            })));

            var summary = $"{_provider}: " + string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(10 * DefaultLimit), summary);
                Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(1000 - (10 * DefaultLimit)), summary);
                foreach (var client in clients)
                {
                    Assert.That((await client.ListRunsPageAsync("_status=QUEUED"))["_total"]!.GetValue<int>(), Is.EqualTo(DefaultLimit), client.Namespace);
                    Assert.That((await client.ListRunsPageAsync("_pageSize=1000"))["_list"]!.AsArray(), Has.Count.EqualTo(DefaultLimit), client.Namespace + ": rows, not the kept count");
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
