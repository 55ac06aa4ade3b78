using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrchRunService.Application.Schedules;
using OrchRunService.Application.Schedules.Firing;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;
using OrchRunService.Infrastructure.IntegrationTests.Worker;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.IntegrationTests.Schedules;

/// <summary>Schedules, their slot records and the scan lease on a real SQLite file, on a fake clock.</summary>
public sealed class ScheduleFiringIntegrationTests
{
    private const string Namespace = WorkerTestDatabase.Namespace;
    private WorkerTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await WorkerTestDatabase.CreateAsync(services =>
    {
        services.AddSingleton(new QueuedRunLimit(2));
        services.AddSingleton(ScheduleSettings.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));
        services.AddScoped<ScheduleFirer>();
    });

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task TryTakeAsync_WhenFreeThenHeldThenLapsed_GoesToOneHolderAtATime()
    {
        var length = TimeSpan.FromSeconds(10);

        var first = await TakeAsync("node-a", length);
        var other = await TakeAsync("node-b", length);
        _database.Clock.Advance(TimeSpan.FromSeconds(5));
        var renewed = await TakeAsync("node-a", length);
        _database.Clock.Advance(TimeSpan.FromSeconds(11));
        var takenOver = await TakeAsync("node-b", length);
        var formerHolder = await TakeAsync("node-a", length);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Not.Null, "the first take inserts the row");
            Assert.That(other, Is.Null, "held by node-a");
            Assert.That(renewed, Is.EqualTo(first!.Value.AddSeconds(5)), "the holder renews");
            Assert.That(takenOver, Is.Not.Null, "node-b takes the lapsed lease");
            Assert.That(formerHolder, Is.Null, "node-a lost it");
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenASlotIsDue_CreatesOneRunWithItsRecordAndMovesOn()
    {
        var schedule = await AddScheduleAsync("* * * * *");
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var fires = await FireAsync(schedule);
        var again = await FireAsync(schedule);

        await using var scope = _database.Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        var run = await db.OrchRuns.AsNoTracking().SingleAsync(r => r.ScheduleId == schedule.Id);
        var stored = await db.Schedules.AsNoTracking().SingleAsync(s => s.Id == schedule.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fires.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.Fired }));
            Assert.That(fires[0].RunId, Is.EqualTo(run.Id));
            Assert.That(run.ScheduledFor, Is.EqualTo(schedule.NextFireAt));
            Assert.That(run.Status, Is.EqualTo(OrchRunStatus.Queued));
            Assert.That(again, Is.Empty, "the slot is handled");
            Assert.That(stored.NextFireAt, Is.EqualTo(schedule.NextFireAt!.Value.AddMinutes(1)));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTheNamespaceQueueIsFull_RecordsTheRefusal()
    {
        var schedule = await AddScheduleAsync("* * * * *", OverlapPolicy.Queue);
        await _database.AddQueuedRunAsync(_database.Clock.GetUtcNow());
        await _database.AddQueuedRunAsync(_database.Clock.GetUtcNow());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var fires = await FireAsync(schedule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fires.Select(f => f.Outcome), Is.EqualTo(new[] { FireOutcome.RefusedQueueLimit }));
            Assert.That(fires[0].Reason, Does.Contain("2 queued runs"));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenCancelPreviousAndARunIsQueued_CancelsItAndFires()
    {
        var schedule = await AddScheduleAsync("* * * * *", OverlapPolicy.CancelPrevious);
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = (await FireAsync(schedule)).Single();
        _database.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = (await FireAsync(schedule)).Single();

        var previous = await _database.FindAsync(first.RunId!.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Outcome, Is.EqualTo(FireOutcome.Fired));
            Assert.That(previous!.Status, Is.EqualTo(OrchRunStatus.RequestCancel));
        }
    }

    [Test]
    public async Task FireDueSlotsAsync_WhenTheScheduleWasPausedMeanwhile_FiresNothing()
    {
        var schedule = await AddScheduleAsync("* * * * *");
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        await using (var scope = _database.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
            (await db.Schedules.SingleAsync(s => s.Id == schedule.Id)).Pause(_database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var fires = await FireAsync(schedule);

        Assert.That(fires, Is.Empty);
    }

    [Test]
    public async Task SaveChanges_WhenASecondRecordOfTheSameSlotIsAdded_FailsOnTheKey()
    {
        var schedule = await AddScheduleAsync("* * * * *");
        var slot = schedule.NextFireAt!.Value;
        await using (var scope = _database.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
            db.ScheduleFires.Add(new ScheduleFire(schedule.Id, slot, FireOutcome.Fired, Guid.NewGuid(), string.Empty, slot));
            await db.SaveChangesAsync();
        }

        await using var second = _database.Scope();
        var other = second.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        other.ScheduleFires.Add(new ScheduleFire(schedule.Id, slot, FireOutcome.Fired, Guid.NewGuid(), string.Empty, slot));

        Assert.That(async () => await other.SaveChangesAsync(), Throws.InstanceOf<DbUpdateException>());
    }

    [Test]
    public async Task RunOnceAsync_WhenAnotherNodeHoldsTheScanLease_FiresNothing()
    {
        var schedule = await AddScheduleAsync("* * * * *");
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        await TakeAsync("node-other", TimeSpan.FromSeconds(30));

        await NewService("node-it").RunOnceAsync(CancellationToken.None);
        var whileHeld = await CountFiresAsync(schedule.Id);
        _database.Clock.Advance(TimeSpan.FromSeconds(31));
        await NewService("node-it").RunOnceAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileHeld, Is.Zero, "the lease holder scans, nobody else");
            Assert.That(await CountFiresAsync(schedule.Id), Is.EqualTo(1), "once the lease lapsed this node took it and fired");
        }
    }

    private ScheduleFiringService NewService(string node) =>
        new(
            _database.Services.GetRequiredService<IServiceScopeFactory>(),
            _database.Clock,
            new WorkerNode(node),
            Options.Create(new ScheduleFiringOptions()),
            NullLogger<ScheduleFiringService>.Instance);

    private async Task<DateTimeOffset?> TakeAsync(string holder, TimeSpan length)
    {
        await using var scope = _database.Scope();
        return await scope.ServiceProvider.GetRequiredService<ServiceLeaseStore>().TryTakeAsync(ScheduleFiringService.LeaseName, holder, length, CancellationToken.None);
    }

    private async Task<int> CountFiresAsync(Guid scheduleId)
    {
        await using var scope = _database.Scope();
        return await scope.ServiceProvider.GetRequiredService<OrchRunDbContext>().ScheduleFires.CountAsync(f => f.ScheduleId == scheduleId);
    }

    private async Task<IReadOnlyList<ScheduleFire>> FireAsync(Schedule schedule)
    {
        await using var scope = _database.Scope();
        return await scope.ServiceProvider.GetRequiredService<ScheduleFirer>()
            .FireDueSlotsAsync(Namespace, [schedule.Id], CancellationToken.None);
    }

    private async Task<Schedule> AddScheduleAsync(string cron, OverlapPolicy overlap = OverlapPolicy.Skip)
    {
        var now = _database.Clock.GetUtcNow();
        var orchestrator = Orchestrator.Create(
            Namespace,
            "scheduled",
            "integration",
            "test_instant",
            [new OrchestratorStepDefinition(null, "step_1", Guid.Parse(WorkerTestDatabase.TestConnectorId), 1, StepParameters.FromJson("{\"iterations\":0}", "_params"))],
            now);
        var schedule = Schedule.Create(Namespace, orchestrator.Id, ScheduleCron.Parse(cron, null, TimeSpan.FromSeconds(60)), [], true, overlap, CatchupPolicy.None, null, null, "user-it", now);
        await using var scope = _database.Scope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        db.Orchestrators.Add(orchestrator);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync();
        return schedule;
    }
}
