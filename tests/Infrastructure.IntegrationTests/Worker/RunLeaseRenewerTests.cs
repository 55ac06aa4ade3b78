using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RunLeaseRenewerTests
{
    private readonly DatabaseProvider _provider;

    public RunLeaseRenewerTests(DatabaseProvider provider)
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
    public async Task RenewAsync_WhenTheClaimStands_ExtendsTheLease()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-1"))!;
        _db.Clock.Advance(TimeSpan.FromSeconds(10));

        var renewal = await RenewAsync(claim);

        Assert.That(renewal, Is.EqualTo(LeaseRenewal.Renewed));
        Assert.That((await _db.FindAsync(claim.RunId))!.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
    }

    [Test]
    public async Task RenewAsync_WhenTheRunWasDeleted_SaysLost()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-1"))!;
        await _db.DeleteAsync(claim.RunId);

        Assert.That(await RenewAsync(claim), Is.EqualTo(LeaseRenewal.Lost));
    }

    [Test]
    public async Task RenewAsync_WhenCancelWasRequested_SaysCancelRequestedAndKeepsTheLease()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var claim = (await ClaimAsync("node-1"))!;
        await _db.ChangeAsync(claim.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));
        _db.Clock.Advance(TimeSpan.FromSeconds(10));

        var renewal = await RenewAsync(claim);

        Assert.That(renewal, Is.EqualTo(LeaseRenewal.CancelRequested));
        Assert.That((await _db.FindAsync(claim.RunId))!.LeaseExpiresAt, Is.EqualTo(_db.Clock.GetUtcNow() + Lease));
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
        var claim = (await ClaimAsync("node-1"))!;
        await _db.ChangeAsync(claim.RunId, r =>
        {
            r.RequestCancel(_db.Clock.GetUtcNow());
            r.ConfirmCancelled(_db.Clock.GetUtcNow());
        });

        Assert.That(await RenewAsync(claim), Is.EqualTo(LeaseRenewal.Lost));
    }

    private async Task<RunClaim?> ClaimAsync(string nodeId) => (await _db.ClaimAsync(nodeId, Lease)).SingleOrDefault()?.Claim;

    private async Task<LeaseRenewal> RenewAsync(RunClaim claim)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<RunLeaseRenewer>().RenewAsync(claim, Lease, CancellationToken.None);
    }
}
