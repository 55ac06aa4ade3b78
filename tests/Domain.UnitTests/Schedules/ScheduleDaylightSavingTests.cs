using OrchRunService.Domain.Schedules;
using static OrchRunService.Domain.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Domain.UnitTests.Schedules;

/// <summary>
/// Europe/Berlin in 2026: on 29 March 02:00 CET (01:00 UTC) clocks jump to 03:00 CEST; on
/// 25 October 03:00 CEST (01:00 UTC) they go back to 02:00 CET, so 02:00-02:59 happens twice.
/// </summary>
public class ScheduleDaylightSavingTests
{
    private const string Berlin = "Europe/Berlin";

    [Test]
    public void NextFireTimes_WhenDailyAt0230OverSpringForward_FiresAtTheEndOfTheGapThatDay()
    {
        var clock = ClockAt(Utc(2026, 3, 27, 12, 0));
        var schedule = NewSchedule("30 2 * * *", clock.GetUtcNow(), Berlin);

        var times = schedule.NextFireTimes(clock.GetUtcNow(), 3);

        Assert.That(times, Is.EqualTo(new[]
        {
            Utc(2026, 3, 28, 1, 30), // 02:30 CET
            Utc(2026, 3, 29, 1, 0),  // 02:30 does not exist: 03:00 CEST
            Utc(2026, 3, 30, 0, 30), // 02:30 CEST
        }));
    }

    [Test]
    public void NextFireTimes_WhenDailyAt0230OverFallBack_FiresOnceAtTheFirstInstance()
    {
        var clock = ClockAt(Utc(2026, 10, 23, 12, 0));
        var schedule = NewSchedule("30 2 * * *", clock.GetUtcNow(), Berlin);

        var times = schedule.NextFireTimes(clock.GetUtcNow(), 3);

        Assert.That(times, Is.EqualTo(new[]
        {
            Utc(2026, 10, 24, 0, 30), // 02:30 CEST
            Utc(2026, 10, 25, 0, 30), // 02:30 CEST, the first of the two; 02:30 CET (01:30 UTC) does not fire
            Utc(2026, 10, 26, 1, 30), // 02:30 CET
        }));
    }

    [TestCase("*/30 2 * * *")]
    [TestCase("0-30/30 2 * * *")]
    public void NextFireTimes_WhenAStepOrRangeInTheMinutesOverFallBack_FiresInBothInstancesOfTheHour(string cron)
    {
        var clock = ClockAt(Utc(2026, 10, 24, 23, 0));
        var schedule = NewSchedule(cron, clock.GetUtcNow(), Berlin);

        var times = schedule.NextFireTimes(clock.GetUtcNow(), 4);

        Assert.That(times, Is.EqualTo(new[]
        {
            Utc(2026, 10, 25, 0, 0),  // 02:00 CEST
            Utc(2026, 10, 25, 0, 30), // 02:30 CEST
            Utc(2026, 10, 25, 1, 0),  // 02:00 CET
            Utc(2026, 10, 25, 1, 30), // 02:30 CET
        }));
    }

    [Test]
    public void NextFireTimes_WhenAListOfFixedMinutesOverFallBack_FiresOnlyInTheFirstInstanceOfTheHour()
    {
        var clock = ClockAt(Utc(2026, 10, 24, 23, 0));
        var schedule = NewSchedule("0,30 2 * * *", clock.GetUtcNow(), Berlin);

        var times = schedule.NextFireTimes(clock.GetUtcNow(), 3);

        Assert.That(times, Is.EqualTo(new[]
        {
            Utc(2026, 10, 25, 0, 0),  // 02:00 CEST
            Utc(2026, 10, 25, 0, 30), // 02:30 CEST; the CET repeats do not fire
            Utc(2026, 10, 26, 1, 0),  // 02:00 CET the next day
        }));
    }

    [Test]
    public void NextFireTimes_WhenAStepInTheMinutesOverSpringForward_FiresOnceAtTheEndOfTheGap()
    {
        var clock = ClockAt(Utc(2026, 3, 28, 23, 0));
        var schedule = NewSchedule("*/30 2 * * *", clock.GetUtcNow(), Berlin);

        var times = schedule.NextFireTimes(clock.GetUtcNow(), 2);

        Assert.That(times, Is.EqualTo(new[]
        {
            Utc(2026, 3, 29, 1, 0),   // 02:00 and 02:30 do not exist: once, at 03:00 CEST
            Utc(2026, 3, 30, 0, 0),   // 02:00 CEST the next day
        }));
    }

    [Test]
    public void DueSlots_WhenTheClockPassesTheSpringForwardDay_FiresTheShiftedSlotOnce()
    {
        var clock = ClockAt(Utc(2026, 3, 28, 12, 0));
        var schedule = NewSchedule("30 2 * * *", clock.GetUtcNow(), Berlin);
        clock.SetUtcNow(Utc(2026, 3, 29, 1, 0, 1));

        var due = schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default);

        Assert.That(due, Is.EqualTo(new[] { new DueSlot(Utc(2026, 3, 29, 1, 0), Fires: true) }));
    }

    [Test]
    public void DueSlots_WhenTheRepeatedHourOfFallBackPasses_NothingMoreIsDue()
    {
        var clock = ClockAt(Utc(2026, 10, 25, 0, 0));
        var schedule = NewSchedule("30 2 * * *", clock.GetUtcNow(), Berlin);
        clock.SetUtcNow(Utc(2026, 10, 25, 0, 30, 1));
        schedule.Advance(schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default).Single().Slot);
        clock.SetUtcNow(Utc(2026, 10, 25, 1, 45)); // past 02:30 CET

        var due = schedule.DueSlots(clock.GetUtcNow(), ScheduleFiringRules.Default);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(due, Is.Empty);
            Assert.That(schedule.NextFireAt, Is.EqualTo(Utc(2026, 10, 26, 1, 30)));
        }
    }
}
