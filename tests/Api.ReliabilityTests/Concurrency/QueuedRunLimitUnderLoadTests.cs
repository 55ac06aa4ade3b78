using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.ReliabilityTests.Fuzzing;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Concurrency;

/// <summary>
/// Creates fired all at once across ten namespaces: each namespace ends with exactly the
/// queued-run limit, every answer is 200 or the queue-limit 429, and the runs in the database
/// are exactly the ones answered 200.
/// </summary>
[Category("Concurrency")]
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class QueuedRunLimitUnderLoadTests
{
    private const int Namespaces = 10;
    private const int Limit = 20;

    private readonly DatabaseProvider _provider;
    private OrchRunApiFactory _factory = null!;
    private PostgresTestDatabase? _postgres;

    public QueuedRunLimitUnderLoadTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = new Dictionary<string, string?> { ["Runs:MaxQueuedPerNamespace"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (_provider == DatabaseProvider.Postgres)
        {
            _postgres = await PostgresDatabase.CreateAsync();
            settings["Database:Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings:OrchRun"] = _postgres.ConnectionString;
        }

        _factory = new OrchRunApiFactory(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _factory.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Test]
    public async Task ParallelCreatesAcrossNamespaces_KeepTheQueuedLimitExactly_AndLoseNothing()
    {
        var creates = ReliabilitySettings.ParallelCreates;
        var clients = Enumerable.Range(0, Namespaces).Select(_ => _factory.CreateApiClient()).ToList();
        try
        {
            var orchestrators = new List<string>();
            foreach (var client in clients)
            {
                orchestrators.Add(OrchRunApiClient.IdOf(await client.CreateOrchestratorAsync()));
            }

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, creates).Select(async i =>
            {
                await start.Task;
                var n = i % Namespaces;
                using var response = await clients[n].PostRunAsync(orchestrators[n]);
                var body = await response.Content.ReadAsStringAsync();
                return (Namespace: n, response.StatusCode, response.Content.Headers.ContentType?.MediaType, RetryAfter: response.Headers.RetryAfter, Body: body);
            }).ToList();
            start.SetResult();
            var answers = await Task.WhenAll(tasks);
            clock.Stop();

            var failures = new List<string>();
            foreach (var answer in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            {
                if (answer.StatusCode != HttpStatusCode.TooManyRequests || answer.RetryAfter is null
                    || ResponseChecks.ProblemViolations(429, answer.MediaType, answer.Body).Any() || !answer.Body.Contains("queue-limit", StringComparison.Ordinal))
                {
                    failures.Add($"{(int)answer.StatusCode}: {answer.Body}");
                }
            }

            var perNamespace = creates / Namespaces;
            for (var n = 0; n < Namespaces; n++)
            {
                var accepted = answers.Where(a => a.Namespace == n && a.StatusCode == HttpStatusCode.OK)
                    .Select(a => OrchRunApiClient.IdOf(JsonNode.Parse(a.Body)!)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var page = await clients[n].ListRunsPageAsync("_pageSize=1000");
                var stored = page["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                Assert.That(stored, Is.EquivalentTo(accepted), $"namespace {n}: the stored runs are exactly the accepted ones");
                Assert.That(accepted, Has.Count.EqualTo(Math.Min(Limit, perNamespace)), $"namespace {n} holds exactly the limit");
            }

            Figures.Record(_provider == DatabaseProvider.Sqlite ? "queued-limit" : "queued-limit-postgres", new Dictionary<string, object?>
            {
                ["parallel_creates"] = creates,
                ["namespaces"] = Namespaces,
                ["limit"] = Limit,
                ["accepted"] = answers.Count(a => a.StatusCode == HttpStatusCode.OK),
                ["refused_429"] = answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests),
                ["server_errors"] = answers.Count(a => (int)a.StatusCode >= 500),
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            });
            Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(20)));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task ParallelCreatesWithOneIdempotencyKey_CreateOneRun()
    {
        using var api = _factory.CreateApiClient();
        var orchestrator = OrchRunApiClient.IdOf(await api.CreateOrchestratorAsync());
        var key = "reliability-" + Guid.NewGuid().ToString("N");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, api.Url(OrchRunApiClient.RunsPath)) { Content = OrchRunApiClient.Json(OrchRunApiClient.RunBody(orchestrator)) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await api.Http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(tasks);

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", answers.Select(a => a.Body).Distinct().Take(5)));
        var ids = answers.Select(a => OrchRunApiClient.IdOf(JsonNode.Parse(a.Body)!)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.That(ids, Has.Count.EqualTo(1), "every retry answers the same run");
        var page = await api.ListRunsPageAsync();
        Assert.That(page["_total"]!.GetValue<int>(), Is.EqualTo(1), "one run was created");
    }
}
