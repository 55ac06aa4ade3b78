using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RunLeaseKeeperTests
{
    private readonly DatabaseProvider _provider;

    public RunLeaseKeeperTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    // Only a safety net against a hung test; the renewal period passes on the fake clock.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;
    private RunLeaseKeeper _keeper = null!;

    [SetUp]
    public async Task SetUp()
    {
        _db = await WorkerTestDatabase.CreateAsync(_provider);
        _keeper = _db.Services.GetRequiredService<RunLeaseKeeper>();
    }

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task KeepAsync_WhenTheRunIsDeletedByAnotherProcess_InterruptsTheExecutionAtTheNextRenewal()
    {
        var claim = await ClaimAsync();
        await _db.DeleteAsync(claim.RunId);
        using var interrupt = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();

        var keeping = _keeper.KeepAsync(claim, interrupt, stop.Token);
        _db.Clock.Advance(_keeper.Lease / 3);
        await keeping.WaitAsync(Hang);

        Assert.That(interrupt.IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task KeepAsync_WhenAnotherProcessRequestsACancel_RenewsTheLeaseAndInterruptsTheExecution()
    {
        var claim = await ClaimAsync();
        await _db.ChangeAsync(claim.RunId, r => r.RequestCancel(_db.Clock.GetUtcNow()));
        using var interrupt = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();

        var keeping = _keeper.KeepAsync(claim, interrupt, stop.Token);
        _db.Clock.Advance(_keeper.Lease / 3);
        await keeping.WaitAsync(Hang);

        var run = (await _db.FindAsync(claim.RunId))!;
        Assert.That(interrupt.IsCancellationRequested, Is.True);
        Assert.That((run.Status, run.LeaseExpiresAt), Is.EqualTo((OrchRunStatus.RequestCancel, (DateTimeOffset?)(_db.Clock.GetUtcNow() + _keeper.Lease))));
    }

    [Test]
    public async Task KeepAsync_WhenStoppedBeforeARenewal_ReturnsWithoutInterruptingOrWriting()
    {
        var claim = await ClaimAsync();
        var before = (await _db.FindAsync(claim.RunId))!.LeaseExpiresAt;
        using var interrupt = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();

        var keeping = _keeper.KeepAsync(claim, interrupt, stop.Token);
        await stop.CancelAsync();
        await keeping.WaitAsync(Hang);

        Assert.That(interrupt.IsCancellationRequested, Is.False);
        Assert.That((await _db.FindAsync(claim.RunId))!.LeaseExpiresAt, Is.EqualTo(before));
    }

    private async Task<RunClaim> ClaimAsync()
    {
        await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        return (await _db.ClaimAsync("node-it", _keeper.Lease)).Single().Claim;
    }
}
