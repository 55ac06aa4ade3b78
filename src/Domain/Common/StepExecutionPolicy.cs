namespace OrchRunService.Domain.Common;

/// <summary>
/// How a step is executed: an optional time limit per attempt, and how many times a failed
/// attempt is retried, with a delay that doubles after each retry.
/// </summary>
public sealed record StepExecutionPolicy
{
    public const int MaxTimeoutSeconds = 86_400;
    public const int MaxRetries = 10;
    public const int MaxRetryDelayMs = 3_600_000;
    public const int DefaultRetryDelayMs = 1000;

    public static readonly StepExecutionPolicy Default = new(null, 0, DefaultRetryDelayMs);

    // For EF Core materialisation.
    private StepExecutionPolicy()
    {
    }

    private StepExecutionPolicy(int? timeoutSeconds, int retries, int retryDelayMs)
    {
        TimeoutSeconds = timeoutSeconds;
        Retries = retries;
        RetryDelayMs = retryDelayMs;
    }

    /// <summary>Limit of one attempt; null means no limit.</summary>
    public int? TimeoutSeconds { get; private set; }

    /// <summary>Attempts after the first one when it fails (0 = no retry).</summary>
    public int Retries { get; private set; }

    /// <summary>Wait before the first retry; each further retry waits twice as long as the one before.</summary>
    public int RetryDelayMs { get; private set; }

    /// <param name="timeoutSeconds">Limit of one attempt in seconds; null for none.</param>
    /// <param name="retries">Retries after a failed attempt; null for none.</param>
    /// <param name="retryDelayMs">Wait before the first retry; null for the default.</param>
    /// <param name="field">The step, for error messages (e.g. <c>Steps[0]</c>).</param>
    public static StepExecutionPolicy Create(int? timeoutSeconds, int? retries, int? retryDelayMs, string field)
    {
        if (timeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            throw new DomainValidationException($"{field}.TimeoutSeconds", $"_timeoutSeconds must be from 1 to {MaxTimeoutSeconds}.");
        }

        if (retries is < 0 or > MaxRetries)
        {
            throw new DomainValidationException($"{field}.Retries", $"_retries must be from 0 to {MaxRetries}.");
        }

        if (retryDelayMs is < 0 or > MaxRetryDelayMs)
        {
            throw new DomainValidationException($"{field}.RetryDelayMs", $"_retryDelayMs must be from 0 to {MaxRetryDelayMs}.");
        }

        return new StepExecutionPolicy(timeoutSeconds, retries ?? 0, retryDelayMs ?? DefaultRetryDelayMs);
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): the delay doubled for each earlier retry.</summary>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        var factor = Math.Pow(2, Math.Max(0, retry - 1));
        return TimeSpan.FromMilliseconds(Math.Min(RetryDelayMs * factor, MaxRetryDelayMs));
    }
}
