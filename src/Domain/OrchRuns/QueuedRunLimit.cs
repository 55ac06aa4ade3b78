namespace OrchRunService.Domain.OrchRuns;

/// <summary>
/// A namespace may hold at most a fixed number of QUEUED runs. The caller must count and insert
/// inside one serialised transaction for the rule to hold under concurrent creates.
/// </summary>
public sealed record QueuedRunLimit
{
    public const int Default = 20;

    public QueuedRunLimit(int maxQueuedPerNamespace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueuedPerNamespace, 1);
        MaxQueuedPerNamespace = maxQueuedPerNamespace;
    }

    public int MaxQueuedPerNamespace { get; }

    public void EnsureRoomFor(string @namespace, int queuedRunsInNamespace)
    {
        if (queuedRunsInNamespace >= MaxQueuedPerNamespace)
        {
            throw new QueuedRunLimitExceededException(@namespace, MaxQueuedPerNamespace);
        }
    }
}
