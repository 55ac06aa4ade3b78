using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

public sealed class RunClaimerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ClaimNextAsync_WhenSeveralRunsAreQueued_ClaimsThemOldestFirst()
    {
        var t0 = _db.Clock.GetUtcNow().AddMinutes(-10);
        var middle = await _db.AddQueuedRunAsync(t0.AddSeconds(2));
        var newest = await _db.AddQueuedRunAsync(t0.AddSeconds(3));
        var oldest = await _db.AddQueuedRunAsync(t0.AddSeconds(1));

        var claims = new List<RunHold?>();
        for (var i = 0; i < 4; i++)
        {
            claims.Add(await ClaimAsync("node-1"));
        }

        Assert.That(claims.Select(c => c?.RunId), Is.EqualTo(new Guid?[] { oldest.Id, middle.Id, newest.Id, null }));
    }

    [Test]
    public async Task ClaimNextAsync_WhenARunIsClaimed_MarksItRunningForTheNodeWithALease()
    {
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());

        var hold = await ClaimAsync("node-1");

        var run = await _db.FindAsync(queued.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hold, Is.EqualTo(new RunHold(queued.Id, "node-1", 1)));
            Assert.That(run!.Status, Is.EqualTo(OrchRunStatus.Running));
            Assert.That(run.NodeId, Is.EqualTo("node-1"));
            Assert.That(run.Attempt, Is.EqualTo(1));
            Assert.That(run.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
        }
    }

    [Test]
    public async Task ClaimNextAsync_WhenOnlyFinishedOrCancelledRunsExist_ClaimsNothing()
    {
        var cancelled = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await _db.ChangeAsync(cancelled.Id, r => r.RequestCancel(_db.Clock.GetUtcNow()));

        Assert.That(await ClaimAsync("node-1"), Is.Null);
    }

    [Test]
    public async Task ClaimNextAsync_WhenManyClaimersRaceOnSeparateContexts_ClaimsEachRunExactlyOnce()
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
            var mine = new List<RunHold>();
            while (await ClaimAsync($"node-{n}") is { } hold)
            {
                mine.Add(hold);
            }

            return mine;
        })).ToList();
        start.Set();
        var holds = (await Task.WhenAll(workers)).SelectMany(h => h).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(holds, Has.Count.EqualTo(runs));
            Assert.That(holds.Select(h => h.RunId).Distinct().Count(), Is.EqualTo(runs), "no run is claimed twice");
            Assert.That(holds.Select(h => h.Attempt), Is.All.EqualTo(1));
        }

        foreach (var hold in holds)
        {
            var run = await _db.FindAsync(hold.RunId);
            Assert.That((run!.Status, run.NodeId, run.Attempt), Is.EqualTo((OrchRunStatus.Running, hold.NodeId, 1)));
        }
    }

    [TestCase(3, 5)]
    [TestCase(4, 2)]
    [TestCase(8, 8)]
    public async Task ClaimQueuedAsync_WithKFreeSlotsAndNQueuedRuns_ClaimsMinKNOldestFirstInOneTransaction(int slots, int queued)
    {
        var t0 = _db.Clock.GetUtcNow().AddMinutes(-10);
        var runs = new List<OrchRun>();
        for (var i = queued - 1; i >= 0; i--)
        {
            // Inserted newest first: the order claimed comes from the creation time.
            runs.Insert(0, await _db.AddQueuedRunAsync(t0.AddSeconds(i)));
        }

        using var writes = new WriteTransactionCounter(_db.Folder);
        IReadOnlyList<ClaimedRun> claimed;
        await using (var scope = _db.Scope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimQueuedAsync("node-1", Lease, slots, CancellationToken.None);
        }

        var expected = runs.Take(Math.Min(slots, queued)).Select(r => r.Id).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writes.Commits, Is.EqualTo(1), "one claim transaction");
            Assert.That(writes.WritesOutsideTransactions, Is.Zero);
            Assert.That(claimed.Select(c => c.Hold.RunId), Is.EqualTo(expected));
            Assert.That(claimed.Select(c => c.Hold), Is.EqualTo(expected.Select(id => new RunHold(id, "node-1", 1))));
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
    public async Task ClaimQueuedAsync_WhenManyClaimersRaceOnSeparateContexts_ClaimsEachRunExactlyOnce()
    {
        const int runs = 40;
        const int claimers = 4;
        var t0 = _db.Clock.GetUtcNow().AddHours(-1);
        for (var i = 0; i < runs; i++)
        {
            await _db.AddQueuedRunAsync(t0.AddMilliseconds(i));
        }

        using var start = new ManualResetEventSlim(false);
        var workers = Enumerable.Range(1, claimers).Select(n => Task.Run(async () =>
        {
            start.Wait();
            var mine = new List<RunHold>();
            while (true)
            {
                await using var scope = _db.Scope();
                var batch = await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimQueuedAsync($"node-{n}", Lease, 3, CancellationToken.None);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(c => c.Hold));
            }
        })).ToList();
        start.Set();
        var holds = (await Task.WhenAll(workers)).SelectMany(h => h).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(holds, Has.Count.EqualTo(runs));
            Assert.That(holds.Select(h => h.RunId).Distinct().Count(), Is.EqualTo(runs), "no run is claimed twice");
        }
    }

    [Test]
    public async Task RenewAsync_WhenTheNodeStillHoldsTheRun_ExtendsTheLease()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var hold = (await ClaimAsync("node-1"))!;
        _db.Clock.Advance(TimeSpan.FromSeconds(10));

        var renewal = await RenewAsync(hold);

        Assert.That(renewal, Is.EqualTo(LeaseRenewal.Renewed));
        Assert.That((await _db.FindAsync(hold.RunId))!.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
    }

    [Test]
    public async Task RenewAsync_WhenTheRunWasDeleted_SaysLost()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var hold = (await ClaimAsync("node-1"))!;
        await _db.DeleteAsync(hold.RunId);

        Assert.That(await RenewAsync(hold), Is.EqualTo(LeaseRenewal.Lost));
    }

    [Test]
    public async Task RenewAsync_WhenCancelWasRequested_SaysCancelRequestedAndKeepsTheLease()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var hold = (await ClaimAsync("node-1"))!;
        await _db.ChangeAsync(hold.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromSeconds(10));

        var renewal = await RenewAsync(hold);

        Assert.That(renewal, Is.EqualTo(LeaseRenewal.CancelRequested));
        Assert.That((await _db.FindAsync(hold.RunId))!.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
    }

    [Test]
    public async Task RenewAsync_WhenAnotherNodeReclaimedTheRun_SaysLostAndLeavesItsLeaseAlone()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var stale = (await ClaimAsync("node-1"))!;
        await _db.ChangeAsync(stale.RunId, r =>
        {
            r.RecoverFromLostLease(3, _db.Clock.GetUtcNow());
            r.Claim("node-2", _db.Clock.GetUtcNow() + TimeSpan.FromSeconds(5), _db.Clock.GetUtcNow());
        });

        var renewal = await RenewAsync(stale);

        var run = await _db.FindAsync(stale.RunId);
        Assert.That(renewal, Is.EqualTo(LeaseRenewal.Lost));
        Assert.That((run!.NodeId, run.Attempt, run.LeaseExpiresAt), Is.EqualTo(("node-2", 2, (DateTimeOffset?)(_db.Clock.GetUtcNow() + TimeSpan.FromSeconds(5)))));
    }

    [Test]
    public async Task RenewAsync_WhenTheRunFinished_SaysLost()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var hold = (await ClaimAsync("node-1"))!;
        await _db.ChangeAsync(hold.RunId, r =>
        {
            r.RequestCancel(_db.Clock.GetUtcNow());
            r.ConfirmCancelled(_db.Clock.GetUtcNow());
        });

        Assert.That(await RenewAsync(hold), Is.EqualTo(LeaseRenewal.Lost));
    }

    private async Task<RunHold?> ClaimAsync(string nodeId)
    {
        await using var scope = _db.Scope();
        var claimed = await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimNextAsync(nodeId, Lease, CancellationToken.None);
        return claimed?.Hold;
    }

    private async Task<LeaseRenewal> RenewAsync(RunHold hold)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<RunLeaseRenewer>().RenewAsync(hold, Lease, CancellationToken.None);
    }
}
