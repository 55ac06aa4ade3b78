using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RunClaimerTests
{
    private readonly DatabaseProvider _provider;

    public RunClaimerTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync(_provider);

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ClaimAsync_WhenOnlyFinishedOrCancelledRunsExist_ClaimsNothing()
    {
        var cancelled = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await _db.ChangeAsync(cancelled.Id, r => r.RequestCancel(_db.Clock.GetUtcNow()));

        Assert.That(await _db.ClaimAsync("node-1", Lease, 4), Is.Empty);
    }

    [TestCase(1, 3)]
    [TestCase(3, 5)]
    [TestCase(4, 2)]
    [TestCase(8, 8)]
    public async Task ClaimAsync_WithKFreeSlotsAndNQueuedRuns_ClaimsMinKNOldestFirstInOneTransaction(int slots, int queued)
    {
        var t0 = _db.Clock.GetUtcNow().AddMinutes(-10);
        var runs = new List<OrchRun>();
        for (var i = queued - 1; i >= 0; i--)
        {
            // Inserted newest first: the order claimed comes from the creation time.
            runs.Insert(0, await _db.AddQueuedRunAsync(t0.AddSeconds(i)));
        }

        using var writes = new WriteTransactionCounter(_db.ConnectionMarker);
        var claimed = await _db.ClaimAsync("node-1", Lease, slots);

        var expected = runs.Take(Math.Min(slots, queued)).Select(r => r.Id).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writes.Commits, Is.EqualTo(1), "one claim transaction");
            Assert.That(writes.WritesOutsideTransactions, Is.Zero);
            Assert.That(claimed.Select(c => c.RunId), Is.EqualTo(expected));
            Assert.That(claimed.Select(c => c.Claim), Is.EqualTo(expected.Select(id => new RunClaim(id, "node-1", 1))));
            Assert.That(claimed.Select(c => c.LastLogSequence), Is.All.EqualTo(2), "numbering goes on after the opening lines");
        }

        foreach (var id in expected)
        {
            var run = (await _db.FindAsync(id))!;
            var lines = await _db.LinesAsync(id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That((run.Status, run.NodeId, run.Attempt), Is.EqualTo((OrchRunStatus.Running, "node-1", 1)));
                Assert.That(run.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
                Assert.That(run.Steps.Single().Status, Is.EqualTo(OrchRunStepStatus.Running));
                Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[]
                {
                    "Orch run execution has begun",
                    $"Running Orchestrator: it_orch in Node node-1, orch_run_id: {id}",
                }));
                Assert.That(lines.Select(l => l.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            }
        }

        foreach (var id in runs.Skip(expected.Count).Select(r => r.Id))
        {
            var run = (await _db.FindAsync(id))!;
            Assert.That((run.Status, run.NodeId, (await _db.LinesAsync(id)).Count), Is.EqualTo((OrchRunStatus.Queued, (string?)null, 0)));
        }
    }

    [Test]
    public async Task ClaimAsync_WhenManyClaimersRaceOnSeparateContexts_ClaimsEachRunExactlyOnce()
    {
        const int runs = 40;
        const int claimers = 6;
        var t0 = _db.Clock.GetUtcNow().AddHours(-1);
        for (var i = 0; i < runs; i++)
        {
            await _db.AddQueuedRunAsync(t0.AddMilliseconds(i));
        }

        using var start = new ManualResetEventSlim(false);
        var workers = Enumerable.Range(1, claimers).Select(n => Task.Run(async () =>
        {
            start.Wait();
            var mine = new List<RunClaim>();
            while (true)
            {
                // Claimers of one run at a time race claimers of several.
                var batch = await _db.ClaimAsync($"node-{n}", Lease, max: 1 + (n % 3));
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(c => c.Claim));
            }
        })).ToList();
        start.Set();
        var claims = (await Task.WhenAll(workers)).SelectMany(h => h).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claims, Has.Count.EqualTo(runs));
            Assert.That(claims.Select(c => c.RunId).Distinct().Count(), Is.EqualTo(runs), "no run is claimed twice");
        }
    }

}
