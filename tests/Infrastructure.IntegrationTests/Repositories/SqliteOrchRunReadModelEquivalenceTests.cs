using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.ReadModels;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>
/// The plain-SQL read model answers exactly as the EF one over the same varied runs: the same
/// JSON for every find and for many list filters.
/// </summary>
public sealed class SqliteOrchRunReadModelEquivalenceTests
{
    private static readonly OrchRunStatus[][] StatusSets =
    [
        [],
        [OrchRunStatus.Queued],
        [OrchRunStatus.Running],
        [OrchRunStatus.RequestCancel],
        [OrchRunStatus.Completed],
        [OrchRunStatus.Failed],
        [OrchRunStatus.Cancelled],
        [OrchRunStatus.Failed, OrchRunStatus.Cancelled],
        [OrchRunStatus.Cancelled, OrchRunStatus.Queued, OrchRunStatus.Failed],
        [OrchRunStatus.Failed, OrchRunStatus.Failed],
        Enum.GetValues<OrchRunStatus>(),
    ];

    private readonly string[] _namespaces = [TestData.NewNamespace(), "ns_ünïcødé_名前空間_" + Guid.NewGuid().ToString("N")[..8], TestData.NewNamespace()];
    private readonly List<OrchRun> _runs = [];
    private SqliteTestDatabase? _database;
    private SqliteReadConnectionPool? _pool;

    private SqliteTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Seed()
    {
        _database = await SqliteTestDatabase.CreateMigratedAsync();
        _pool = new SqliteReadConnectionPool(Database.ConnectionString(), busyTimeoutSeconds: 30, maxConnections: 2);
        var time = TestData.Start.AddTicks(1234);
        var orchestrators = _namespaces.Select((@namespace, n) => Orchestrator.Create(
                @namespace,
                n == 1 ? "Nächtlicher Lauf — 日本語 🚀 \"quoted\"" : $"orch {n}",
                n == 0 ? null : "Beschreibung ✓ <b>&amp;</b>",
                n == 2 ? null : "user_type_✓",
                Enumerable.Range(1, 3 + n)
                    .Select(i => new OrchestratorStepDefinition(null, $"step {i} ☃", Guid.NewGuid(), i * 10, StepParameters.FromJson($"{{\"i\":{i},\"text\":\"wert ü {i}\",\"nested\":{{\"a\":[1,2,null]}}}}", "_params")))
                    .ToList(),
                time))
            .ToList();
        for (var k = 0; k < 12; k++)
        {
            foreach (var orchestrator in orchestrators)
            {
                // A few ms and ticks apart; sometimes the same instant as the last run of another namespace.
                time = k % 4 == 3 ? time : time.AddMilliseconds(7).AddTicks(k * 1111);
                _runs.AddRange(RunsInEveryState(orchestrator, k, time));
            }
        }

        await using var db = Database.CreateContext();
        db.OrchRuns.AddRange(_runs);
        await db.SaveChangesAsync();

        // A run without steps left (only the LEFT JOIN keeps it), and a run whose steps tie on sequence number.
        await db.Set<OrchRunStep>().Where(s => s.RunId == _runs[0].Id).ExecuteDeleteAsync();
        await db.Set<OrchRunStep>().Where(s => s.RunId == _runs[1].Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.SequenceNo, 5));
    }

    [OneTimeTearDown]
    public async Task Delete()
    {
        _pool?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task FindAsync_ForEveryRunAndForMisses_AnswersAsTheEfReadModel()
    {
        var mismatches = new List<string>();
        var found = 0;
        var lookups = _runs.Select(r => (r.Id, r.Namespace))
            .Append((_runs[3].Id, _namespaces[2]))
            .Append((Guid.NewGuid(), _namespaces[0]));
        foreach (var (id, @namespace) in lookups)
        {
            await using var db = Database.CreateContext();
            var expected = Json(await new OrchRunReadModel(db).FindAsync(id, @namespace, CancellationToken.None));
            var actual = await new SqliteOrchRunReadModel(_pool!).FindAsync(id, @namespace, CancellationToken.None);
            found += actual is null ? 0 : 1;
            if (expected != Json(actual))
            {
                mismatches.Add($"{id} in {@namespace}:\n  ef:     {expected}\n  sqlite: {Json(actual)}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.EqualTo(_runs.Count), "every seeded run is found, the misses are not");
            Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
        }
    }

    [Test]
    public async Task ListAsync_ForManyFilters_AnswersAsTheEfReadModel()
    {
        var mismatches = new List<string>();
        var nonEmptyPages = 0;
        var filters = Filters().ToList();
        await using var db = Database.CreateContext();
        foreach (var filter in filters)
        {
            var expected = Json(await new OrchRunReadModel(db).ListAsync(filter, CancellationToken.None));
            var actual = await new SqliteOrchRunReadModel(_pool!).ListAsync(filter, CancellationToken.None);
            nonEmptyPages += actual.Items.Count > 0 ? 1 : 0;
            if (expected != Json(actual))
            {
                mismatches.Add($"{filter}:\n  ef:     {expected}\n  sqlite: {Json(actual)}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filters, Has.Count.GreaterThan(1000));
            Assert.That(nonEmptyPages, Is.GreaterThan(filters.Count / 8), "most filters are not trivially empty");
            Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {filters.Count} filters differ:\n" + string.Join("\n", mismatches.Take(5)));
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>Runs of <paramref name="orchestrator"/> created at <paramref name="time"/>, one in each state the run can reach.</summary>
    private static IEnumerable<OrchRun> RunsInEveryState(Orchestrator orchestrator, int k, DateTimeOffset time)
    {
        var later = time.AddSeconds(1).AddTicks(4321);
        var actual = new ActualStepParameters(orchestrator.Steps[0].Id.ToString(), StepParameters.FromJson("{\"given\":\"Grüße 👋\"}", "_actualparams"));
        if (k % 4 == 3)
        {
            // A twin created at the same instant: the list orders the two by id.
            yield return OrchRun.Create(orchestrator, [], "twin", time);
        }

        var run = OrchRun.Create(orchestrator, k % 2 == 0 ? [actual] : [], k % 3 == 0 ? "ユーザー" : "user-1", time);
        switch (k % 6)
        {
            case 0:
                break;
            case 1:
                run.Claim("node-1", later.AddMinutes(1), later);
                run.StartStep(run.Steps[0].Id, later);
                break;
            case 2:
                run.Claim("node-1", later.AddMinutes(1), later);
                run.RequestCancel(later);
                break;
            case 3:
                run.Claim("node-1", later.AddMinutes(1), later);
                foreach (var step in run.Steps)
                {
                    run.StartStep(step.Id, later);
                    run.CompleteStep(step.Id, later);
                }

                run.Complete(later);
                break;
            case 4:
                run.Claim("node-1", later.AddMinutes(1), later);
                run.StartStep(run.Steps[0].Id, later);
                run.CompleteStep(run.Steps[0].Id, later);
                run.StartStep(run.Steps[1].Id, later);
                run.FailStep(run.Steps[1].Id, "Zeitüberschreitung ⏱ \"boom\"", later);
                yield return run;
                run = OrchRun.Rerun(run, k % 4 == 0 ? RerunFrom.Failed : RerunFrom.First, "rerunner", later.AddTicks(1));
                break;
            default:
                run.RequestCancel(later);
                run.ConfirmCancelled(later);
                yield return run;
                run = OrchRun.Rerun(run, RerunFrom.Failed, "rerunner", later.AddMilliseconds(3));
                break;
        }

        yield return run;
    }

    private IEnumerable<OrchRunListFilter> Filters()
    {
        var created = _runs.Select(r => r.CreatedAt).Order().ToList();
        var middle = created[created.Count / 2];
        DateTimeOffset?[] froms = [null, created[0], middle.AddTicks(1), middle.ToOffset(TimeSpan.FromHours(-7)), created[^1].AddDays(1)];
        DateTimeOffset?[] untils = [null, created[^1], middle.AddTicks(-1), middle.AddMilliseconds(-1).ToOffset(TimeSpan.FromHours(3)), created[0].AddDays(-1)];
        (int Offset, int PageSize)[] windows = [(0, 20), (3, 5), (11, 100), (1000, 20)];
        foreach (var @namespace in _namespaces.Append(TestData.NewNamespace()))
        {
            foreach (var statuses in StatusSets)
            {
                foreach (var from in froms)
                {
                    foreach (var until in untils)
                    {
                        foreach (var (offset, pageSize) in windows)
                        {
                            yield return new OrchRunListFilter(@namespace, offset, pageSize, statuses, from, until);
                        }
                    }
                }
            }
        }

        // One orchestrator's runs (the namespace's own, another namespace's, one that does not exist), with and without the other bounds.
        Guid[] orchestrators = [.. _runs.Select(r => r.OrchestratorId).Distinct(), Guid.NewGuid()];
        foreach (var @namespace in _namespaces)
        {
            foreach (var orchestrator in orchestrators)
            {
                foreach (var statuses in StatusSets.Take(3))
                {
                    foreach (var (offset, pageSize) in windows)
                    {
                        yield return new OrchRunListFilter(@namespace, offset, pageSize, statuses, null, null, orchestrator);
                        yield return new OrchRunListFilter(@namespace, offset, pageSize, statuses, froms[1], untils[2], orchestrator);
                    }
                }
            }
        }
    }
}
