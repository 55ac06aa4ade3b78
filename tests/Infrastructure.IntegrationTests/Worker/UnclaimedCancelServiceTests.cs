using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>One pass of <see cref="UnclaimedCancelService"/> against the real database.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class UnclaimedCancelServiceTests
{
    private readonly DatabaseProvider _provider;

    public UnclaimedCancelServiceTests(DatabaseProvider provider)
    {
        _provider = provider;
    }

    private WorkerTestDatabase _db = null!;

    [SetUp]
    public async Task SetUp() => _db = await WorkerTestDatabase.CreateAsync(_provider);

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    [Test]
    public async Task RunOnceAsync_WhenAQueuedRunWasCancelled_FinishesItWithItsClosingLines()
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
}
