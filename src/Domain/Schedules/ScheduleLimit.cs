namespace OrchRunService.Domain.Schedules;

/// <summary>
/// A namespace may hold at most a fixed number of schedules. The caller must count and insert
/// inside one serialised transaction of the namespace for the rule to hold under concurrent creates.
/// </summary>
public sealed record ScheduleLimit
{
    public const int Default = 100;

    public ScheduleLimit(int maxPerNamespace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerNamespace, 1);
        MaxPerNamespace = maxPerNamespace;
    }

    public int MaxPerNamespace { get; }

    public void EnsureRoomFor(string @namespace, int schedulesInNamespace)
    {
        if (schedulesInNamespace >= MaxPerNamespace)
        {
            throw new ScheduleLimitExceededException(@namespace, MaxPerNamespace);
        }
    }
}
