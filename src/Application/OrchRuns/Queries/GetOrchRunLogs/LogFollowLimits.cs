namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// Bounds of following a run's log: open follows per user (<c>Logs:MaxFollowsPerUser</c>) and per
/// process (<c>Logs:MaxFollows</c>), and the backoff of the poll that finds lines another process wrote.
/// </summary>
public sealed record LogFollowLimits
{
    public const int DefaultMaxFollowsPerUser = 10;
    public const int DefaultMaxFollows = 1000;
    public const string MaxFollowsPerUserKey = "Logs:MaxFollowsPerUser";
    public const string MaxFollowsKey = "Logs:MaxFollows";

    /// <summary>The first poll after lines were read; each empty poll doubles it up to <see cref="MaxPollInterval"/>.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Seconds a refused follower is told to wait (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    public LogFollowLimits(int maxFollowsPerUser, int maxFollows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFollowsPerUser, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFollows, maxFollowsPerUser);
        MaxFollowsPerUser = maxFollowsPerUser;
        MaxFollows = maxFollows;
    }

    public static LogFollowLimits Default { get; } = new(DefaultMaxFollowsPerUser, DefaultMaxFollows);

    public int MaxFollowsPerUser { get; }

    public int MaxFollows { get; }
}
