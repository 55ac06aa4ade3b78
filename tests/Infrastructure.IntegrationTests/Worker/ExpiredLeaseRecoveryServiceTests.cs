using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>One pass of <see cref="ExpiredLeaseRecoveryService"/> against the real database.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ExpiredLeaseRecoveryServiceTests
{
    private readonly DatabaseProvider _provider;

    public ExpiredLeaseRecoveryServiceTests(DatabaseProvider provider)
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
    public async Task RunOnceAsync_WhenAClaimsLeaseExpired_RequeuesTheRun()
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
}
