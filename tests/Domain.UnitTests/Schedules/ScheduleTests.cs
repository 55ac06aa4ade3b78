using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;
using static OrchRunService.Domain.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Domain.UnitTests.Schedules;

public class ScheduleTests
{
    private static readonly QueuedRunLimit Limit = new(3);

    [Test]
    public void Create_WhenEnabled_NextFireIsTheFirstSlotAfterNow()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));

        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());

        Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 3, 1, 12, 1)));
    }

    [Test]
    public void Create_WhenDisabled_HasNoNextFireAndNoNextFireTimes()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0));

        var schedule = NewSchedule("* * * * *", clock.GetUtcNow(), enabled: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextFireAt, Is.Null);
            Assert.That(schedule.NextFireTimes(clock.GetUtcNow(), 5), Is.Empty);
        }
    }

    [Test]
    public void Create_WhenEndIsNotAfterStart_ThrowsForEndAt()
    {
        var now = Utc(2026, 3, 1, 12, 0);

        var ex = Assert.Throws<DomainValidationException>(() => NewSchedule("* * * * *", now, startAt: now.AddHours(1), endAt: now.AddHours(1)));

        Assert.That(ex!.Field, Is.EqualTo("EndAt"));
    }

    [Test]
    public void NextFireTimes_WhenAWindowIsSet_StayInsideIt()
    {
        var now = Utc(2026, 3, 1, 12, 0);
        var schedule = NewSchedule("0 * * * *", now, startAt: Utc(2026, 3, 1, 15, 0), endAt: Utc(2026, 3, 1, 17, 30));

        var times = schedule.NextFireTimes(now, 5);

        Assert.That(times, Is.EqualTo(new[] { Utc(2026, 3, 1, 15, 0), Utc(2026, 3, 1, 16, 0), Utc(2026, 3, 1, 17, 0) }));
    }

    [Test]
    public void NextFireTimes_WhenAskedForFive_GivesTheNextFiveInOrder()
    {
        var now = Utc(2026, 3, 1, 12, 0, 30);
        var schedule = NewSchedule("*/15 * * * *", now);

        var times = schedule.NextFireTimes(now, 5);

        Assert.That(times, Is.EqualTo(new[] { 15, 30, 45, 60, 75 }.Select(m => Utc(2026, 3, 1, 12, 0).AddMinutes(m))));
    }

    [Test]
    public void DueSlots_WhenOneSlotPassedJustNow_ItFires()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(50.2));

        var due = schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default);

        Assert.That(due, Is.EqualTo(new[] { new DueSlot(Utc(2026, 3, 1, 12, 1), Fires: true) }));
    }

    [Test]
    public void DueSlots_WhenNoSlotIsDue_IsEmpty()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(49));

        Assert.That(schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default), Is.Empty);
    }

    [TestCase(CatchupPolicy.None, new[] { false, false, false, false, true })]
    [TestCase(CatchupPolicy.Last, new[] { false, false, false, true, true })]
    [TestCase(CatchupPolicy.All, new[] { false, true, true, true, true })]
    public void DueSlots_WhenNodesWereDownForSlots_FireAsTheCatchupPolicySays(CatchupPolicy catchup, bool[] fires)
    {
        // Slots 12:01-12:05; at 12:05:30 the 12:05 slot is on time (grace 60 s), four are late.
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow(), catchup: catchup);
        clock.SetUtcNow(Utc(2026, 3, 1, 12, 5, 30));
        var rules = ScheduleFiringRules.Default with { CatchupLimit = 3 };

        var due = schedule.DueSlots(clock.GetUtcNow(), rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(due.Select(d => d.Slot), Is.EqualTo(Enumerable.Range(1, 5).Select(m => Utc(2026, 3, 1, 12, m))));
            Assert.That(due.Select(d => d.Fires), Is.EqualTo(fires));
        }
    }

    [Test]
    public void DueSlots_WhenMoreAreDueThanOnePassHandles_StopsAtTheLimit()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(1));

        var due = schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default with { MaxSlotsPerPass = 10 });

        Assert.That(due, Has.Count.EqualTo(10));
    }

    [Test]
    public void DueSlots_WhenPaused_IsEmpty()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        schedule.Pause(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.That(schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default), Is.Empty);
    }

    [Test]
    public void Advance_WhenASlotIsHandled_NextFireIsTheSlotAfterIt()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        var revision = schedule.Revision;

        schedule.Advance(Utc(2026, 3, 1, 12, 3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 3, 1, 12, 4)));
            Assert.That(schedule.Revision, Is.GreaterThan(revision));
        }
    }

    [Test]
    public void Advance_WhenTheSlotIsBeforeTheNextFire_Throws()
    {
        var schedule = NewSchedule("* * * * *", Utc(2026, 3, 1, 12, 0, 10));

        Assert.Throws<InvalidStateTransitionException>(() => schedule.Advance(Utc(2026, 3, 1, 12, 0)));
    }

    [Test]
    public void Advance_WhenTheLastSlotBeforeTheEndIsHandled_NoNextFire()
    {
        var schedule = NewSchedule("0 * * * *", Utc(2026, 3, 1, 12, 0, 10), endAt: Utc(2026, 3, 1, 13, 30));

        schedule.Advance(Utc(2026, 3, 1, 13, 0));

        Assert.That(schedule.NextFireAt, Is.Null);
    }

    [Test]
    public void Resume_WhenPausedOverSlots_StartsFromTheFirstSlotAfterNow()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        schedule.Pause(clock.GetUtcNow());
        clock.SetUtcNow(Utc(2026, 3, 1, 12, 10, 10));

        schedule.Resume(clock.GetUtcNow());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.Enabled, Is.True);
            Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 3, 1, 12, 11)));
        }
    }

    [Test]
    public void Update_WhenTimingIsUnchanged_KeepsTheSlotNotYetHandled()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());
        clock.SetUtcNow(Utc(2026, 3, 1, 12, 1).AddMilliseconds(5));

        schedule.Update(schedule.OrchestratorId, ScheduleCron.Parse("* * * * *", null, MinInterval), [], true, OverlapPolicy.Queue, CatchupPolicy.None, null, null, clock.GetUtcNow());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 3, 1, 12, 1)));
            Assert.That(schedule.Overlap, Is.EqualTo(OverlapPolicy.Queue));
            Assert.That(schedule.UpdatedAt, Is.EqualTo(clock.GetUtcNow()));
        }
    }

    [Test]
    public void Update_WhenTheCronChanges_StartsFromTheFirstNewSlotAfterNow()
    {
        var clock = ClockAt(Utc(2026, 3, 1, 12, 0, 10));
        var schedule = NewSchedule("* * * * *", clock.GetUtcNow());

        schedule.Update(schedule.OrchestratorId, ScheduleCron.Parse("0 * * * *", null, MinInterval), [], true, OverlapPolicy.Skip, CatchupPolicy.None, null, null, clock.GetUtcNow());

        Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 3, 1, 13, 0)));
    }

    [Test]
    public void DecideFire_WhenSkipAndARunIsActive_IsSkippedOverlap()
    {
        var schedule = NewSchedule("* * * * *", Utc(2026, 3, 1, 12, 0), overlap: OverlapPolicy.Skip);

        Assert.That(schedule.DecideFire(activeRuns: 1, queuedRuns: 0, Limit), Is.EqualTo(FireOutcome.SkippedOverlap));
    }

    [TestCase(OverlapPolicy.Queue)]
    [TestCase(OverlapPolicy.CancelPrevious)]
    public void DecideFire_WhenQueueOrCancelPreviousAndARunIsActive_Fires(OverlapPolicy overlap)
    {
        var schedule = NewSchedule("* * * * *", Utc(2026, 3, 1, 12, 0), overlap: overlap);

        Assert.That(schedule.DecideFire(activeRuns: 2, queuedRuns: 1, Limit), Is.EqualTo(FireOutcome.Fired));
    }

    [TestCase(OverlapPolicy.Skip)]
    [TestCase(OverlapPolicy.Queue)]
    [TestCase(OverlapPolicy.CancelPrevious)]
    public void DecideFire_WhenTheNamespaceQueueIsFull_IsRefused(OverlapPolicy overlap)
    {
        var schedule = NewSchedule("* * * * *", Utc(2026, 3, 1, 12, 0), overlap: overlap);

        Assert.That(schedule.DecideFire(activeRuns: 0, queuedRuns: 3, Limit), Is.EqualTo(FireOutcome.RefusedQueueLimit));
    }

    [Test]
    public void DecideFire_WhenNothingIsActiveAndThereIsRoom_Fires()
    {
        var schedule = NewSchedule("* * * * *", Utc(2026, 3, 1, 12, 0));

        Assert.That(schedule.DecideFire(activeRuns: 0, queuedRuns: 2, Limit), Is.EqualTo(FireOutcome.Fired));
    }
}
