using Microsoft.Extensions.Time.Testing;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Domain.UnitTests.Schedules;

internal static class ScheduleTestData
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(60);

    public static FakeTimeProvider ClockAt(DateTimeOffset now) => new(now);

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static Schedule NewSchedule(
        string cron,
        DateTimeOffset now,
        string? timeZone = null,
        bool enabled = true,
        OverlapPolicy overlap = OverlapPolicy.Skip,
        CatchupPolicy catchup = CatchupPolicy.None,
        DateTimeOffset? startAt = null,
        DateTimeOffset? endAt = null) =>
        Schedule.Create(
            TestData.Namespace,
            Guid.CreateVersion7(),
            ScheduleCron.Parse(cron, timeZone, MinInterval),
            [],
            enabled,
            overlap,
            catchup,
            startAt,
            endAt,
            TestData.User,
            now);
}
