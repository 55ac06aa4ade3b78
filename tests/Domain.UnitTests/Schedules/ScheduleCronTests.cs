using OrchRunService.Domain.Common;
using OrchRunService.Domain.Schedules;
using static OrchRunService.Domain.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Domain.UnitTests.Schedules;

public class ScheduleCronTests
{
    [Test]
    public void Parse_WhenFiveFields_FiresOnTheMinuteGiven()
    {
        var cron = ScheduleCron.Parse("15 * * * *", null, MinInterval);

        Assert.That(cron.NextAfter(Utc(2026, 3, 1, 12, 0)), Is.EqualTo(Utc(2026, 3, 1, 12, 15)));
    }

    [Test]
    public void Parse_WhenSixFields_ReadsSecondsFirst()
    {
        var cron = ScheduleCron.Parse("30 15 * * * *", null, MinInterval);

        Assert.That(cron.NextAfter(Utc(2026, 3, 1, 12, 0)), Is.EqualTo(Utc(2026, 3, 1, 12, 15, 30)));
    }

    [Test]
    public void Parse_WhenTimeZoneLeftOut_ReadsTheFieldsInUtc()
    {
        var cron = ScheduleCron.Parse("0 9 * * *", "  ", MinInterval);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cron.TimeZone, Is.EqualTo("UTC"));
            Assert.That(cron.NextAfter(Utc(2026, 3, 1, 0, 0)), Is.EqualTo(Utc(2026, 3, 1, 9, 0)));
        }
    }

    [TestCase("* * * *")]
    [TestCase("* * * * * * *")]
    [TestCase("@hourly")]
    [TestCase("61 * * * *")]
    [TestCase("not a cron at all")]
    [TestCase("")]
    public void Parse_WhenNotFiveOrSixValidFields_ThrowsForCron(string expression)
    {
        var ex = Assert.Throws<DomainValidationException>(() => ScheduleCron.Parse(expression, null, MinInterval));

        Assert.That(ex!.Field, Is.EqualTo("Cron"));
    }

    [TestCase("* * * * * *", "1")]
    [TestCase("*/30 * * * * *", "30")]
    [TestCase("0,30 0 0 * * *", "30")]
    public void Parse_WhenFiringMoreOftenThanTheMinimum_ThrowsNamingTheInterval(string expression, string seconds)
    {
        var ex = Assert.Throws<DomainValidationException>(() => ScheduleCron.Parse(expression, null, MinInterval));

        Assert.That(ex!.Message, Does.Contain($"every {seconds} s"));
    }

    [TestCase("* * * * *")]
    [TestCase("0 * * * * *")]
    [TestCase("0 0 29 2 *")]
    public void Parse_WhenFiringNoMoreOftenThanTheMinimum_Accepts(string expression)
    {
        Assert.That(ScheduleCron.Parse(expression, null, MinInterval).Expression, Is.EqualTo(expression));
    }

    [Test]
    public void Parse_WhenMinimumIsOneSecond_AcceptsEverySecond()
    {
        var cron = ScheduleCron.Parse("* * * * * *", null, TimeSpan.FromSeconds(1));

        Assert.That(cron.NextAfter(Utc(2026, 3, 1, 12, 0)), Is.EqualTo(Utc(2026, 3, 1, 12, 0, 1)));
    }

    [Test]
    public void Parse_WhenTheCronNeverFires_Throws()
    {
        var ex = Assert.Throws<DomainValidationException>(() => ScheduleCron.Parse("0 0 30 2 *", null, MinInterval));

        Assert.That(ex!.Field, Is.EqualTo("Cron"));
    }

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("../../etc/passwd")]
    [TestCase("/etc/localtime")]
    [TestCase("Europe/Berlin/../../x")]
    public void Parse_WhenTimeZoneIsNoIanaZone_ThrowsForTimeZone(string zone)
    {
        var ex = Assert.Throws<DomainValidationException>(() => ScheduleCron.Parse("0 9 * * *", zone, MinInterval));

        Assert.That(ex!.Field, Is.EqualTo("TimeZone"));
    }

    [Test]
    public void Restore_WhenAStoredCronIsReadBack_FiresAsParsedWithoutTheIntervalCheck()
    {
        var cron = ScheduleCron.Restore("*/30 * * * * *", "Europe/Berlin");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cron.NextAfter(Utc(2026, 3, 1, 12, 0)), Is.EqualTo(Utc(2026, 3, 1, 12, 0, 30)));
            Assert.That(cron.TimeZone, Is.EqualTo("Europe/Berlin"));
        }
    }
}
