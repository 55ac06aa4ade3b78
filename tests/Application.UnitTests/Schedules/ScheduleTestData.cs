using Microsoft.Extensions.Configuration;
using OrchRunService.Application.Schedules;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.UnitTests.Schedules;

internal static class ScheduleTestData
{
    public static ScheduleSettings Settings(int maxPerNamespace = 100) =>
        ScheduleSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Schedules:MaxPerNamespace"] = maxPerNamespace.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Build());

    public static ScheduleDefinitionInput Input(Guid orchestratorId, string cron = "* * * * *", bool? enabled = null, string? overlap = null) =>
        new(orchestratorId, cron, null, [], enabled, overlap, null, null, null);

    public static Schedule NewSchedule(Guid orchestratorId, DateTimeOffset now, OverlapPolicy overlap = OverlapPolicy.Skip, CatchupPolicy catchup = CatchupPolicy.None) =>
        Schedule.Create(TestData.Namespace, orchestratorId, ScheduleCron.Parse("* * * * *", null, TimeSpan.FromSeconds(60)), [], true, overlap, catchup, null, null, TestData.UserId, now);
}
