using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Models;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>One pass of <see cref="IdempotencyPurgeService"/> against the real database.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class IdempotencyPurgeServiceTests
{
    private readonly DatabaseProvider _provider;

    public IdempotencyPurgeServiceTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync(_provider);

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task RunOnceAsync_DeletesOnlyRecordsPastTheirLifetime()
    {
        var run = await _db.AddQueuedRunAsync(_db.Clock.GetUtcNow());
        var now = _db.Clock.GetUtcNow();
        await using (var scope = _db.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
            db.IdempotencyRecords.Add(new IdempotencyRecord(WorkerTestDatabase.Namespace, "alice", "old", "hash", run.Id, now - IdempotencyRecord.Lifetime - TimeSpan.FromSeconds(1)));
            db.IdempotencyRecords.Add(new IdempotencyRecord(WorkerTestDatabase.Namespace, "alice", "young", "hash", run.Id, now - IdempotencyRecord.Lifetime + TimeSpan.FromSeconds(1)));
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
