namespace OrchRunService.Infrastructure.Worker;

/// <summary>The <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Run the worker in this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often to look for runs queued by other processes and for expired leases.</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Runs this process executes at once.</summary>
    public int MaxConcurrentRuns { get; set; } = 8;

    /// <summary>How long a claim stays valid without renewal; renewed every third of it.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Claims a run gets (crash recoveries included) before it is FAILED.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>On shutdown, how long running steps may go on before their runs are returned to the queue.</summary>
    public int ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>How often a running connector's log lines are written to the database.</summary>
    public int LogFlushIntervalMs { get; set; } = 500;

    /// <summary>How often expired Idempotency-Key records are deleted.</summary>
    public int IdempotencyPurgeIntervalSeconds { get; set; } = 600;

    /// <summary>This process's node id in the logs; a new GUID per process when empty.</summary>
    public string? NodeId { get; set; }

    public void Validate()
    {
        Require(PollIntervalMs >= 10, "Worker:PollIntervalMs must be at least 10.");
        Require(MaxConcurrentRuns >= 1, "Worker:MaxConcurrentRuns must be at least 1.");
        Require(LeaseSeconds >= 1, "Worker:LeaseSeconds must be at least 1.");
        Require(MaxAttempts >= 1, "Worker:MaxAttempts must be at least 1.");
        Require(ShutdownGraceSeconds >= 0, "Worker:ShutdownGraceSeconds must be 0 or more.");
        Require(LogFlushIntervalMs >= 10, "Worker:LogFlushIntervalMs must be at least 10.");
        Require(IdempotencyPurgeIntervalSeconds >= 1, "Worker:IdempotencyPurgeIntervalSeconds must be at least 1.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
