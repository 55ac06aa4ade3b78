using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>One pass of each periodic worker service against the real database.</summary>
public sealed class WorkerServicesTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task ExpiredLeaseRecoveryService_RunOnceAsync_WhenAClaimsLeaseExpired_RequeuesTheRun()
    {
        var expired = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow().AddSeconds(-2));
        await _db.ClaimAsync("node-dead", Lease);
        _db.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var live = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await _db.ClaimAsync("node-live", Lease);

        await ActivatorUtilities.CreateInstance<ExpiredLeaseRecoveryService>(_db.Services).RunOnceAsync(CancellationToken.None);

        var requeued = (await _db.FindAsync(expired.Id))!;
        var untouched = (await _db.FindAsync(live.Id))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((requeued.Status, requeued.NodeId, requeued.Attempt), Is.EqualTo((OrchRunStatus.Queued, (string?)null, 1)));
            Assert.That((untouched.Status, untouched.NodeId), Is.EqualTo((OrchRunStatus.Running, (string?)"node-live")));
        }
    }

    [Test]
    public async Task UnclaimedCancelService_RunOnceAsync_WhenAQueuedRunWasCancelled_FinishesItWithItsClosingLines()
    {
        var cancelled = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        await _db.ChangeAsync(cancelled.Id, r => r.RequestCancel(_db.Clock.GetUtcNow()));
        var queued = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());

        await ActivatorUtilities.CreateInstance<UnclaimedCancelService>(_db.Services).RunOnceAsync(CancellationToken.None);

        var lines = await _db.LinesAsync(cancelled.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await _db.FindAsync(cancelled.Id))!.Status, Is.EqualTo(OrchRunStatus.Cancelled));
            Assert.That((await _db.FindAsync(queued.Id))!.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(lines[0].Message, Does.StartWith("Orch run cancelled before it started"));
            Assert.That(lines[^1].IsEnd, Is.True);
        }
    }

    [Test]
    public async Task IdempotencyPurgeService_RunOnceAsync_DeletesOnlyRecordsPastTheirLifetime()
    {
        var run = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var now = _db.Clock.GetUtcNow();
        await using (var scope = _db.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
            db.IdempotencyRecords.Add(new IdempotencyRecord(WorkerTestDatabase.Namespace, "old", "hash", run.Id, now - IdempotencyRecord.Lifetime - TimeSpan.FromSeconds(1)));
            db.IdempotencyRecords.Add(new IdempotencyRecord(WorkerTestDatabase.Namespace, "young", "hash", run.Id, now - IdempotencyRecord.Lifetime + TimeSpan.FromSeconds(1)));
            await db.SaveChangesAsync();
        }

        await ActivatorUtilities.CreateInstance<IdempotencyPurgeService>(_db.Services).RunOnceAsync(CancellationToken.None);

        await using (var scope = _db.Scope())
        {
            var keys = await scope.ServiceProvider.GetRequiredService<OrchRunDbContext>().IdempotencyRecords.Select(r => r.Key).ToListAsync();
            Assert.That(keys, Is.EqualTo(new[] { "young" }));
        }
    }
}
