namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>The run was deleted, or another node has claimed it since: this node must stop writing for it.</summary>
public sealed class RunLostException : Exception
{
    public RunLostException(Guid runId)
        : base($"Run {runId} is no longer held by this node.")
    {
    }
}
