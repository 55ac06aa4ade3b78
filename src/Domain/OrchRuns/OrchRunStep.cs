using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.OrchRuns;

/// <summary>One step of a run: a snapshot of the orchestrator step plus the parameters it runs with.</summary>
public sealed class OrchRunStep
{
    // For EF Core materialisation.
    private OrchRunStep()
    {
        Name = string.Empty;
        ActualParams = StepParameters.Empty;
        RunParams = StepParameters.Empty;
        StatusMessage = string.Empty;
        Policy = StepExecutionPolicy.Default;
    }

    internal OrchRunStep(Guid runId, Guid orchestratorStepId, string name, Guid componentId, int sequenceNo, StepParameters actualParams, StepParameters runParams, StepExecutionPolicy policy)
    {
        Policy = policy;
        Id = Guid.CreateVersion7();
        RunId = runId;
        OrchestratorStepId = orchestratorStepId;
        Name = name;
        ComponentId = componentId;
        SequenceNo = sequenceNo;
        ActualParams = actualParams;
        RunParams = runParams;
        Status = OrchRunStepStatus.Queued;
        StatusMessage = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid RunId { get; private set; }

    public Guid OrchestratorStepId { get; private set; }

    public string Name { get; private set; }

    public Guid ComponentId { get; private set; }

    public int SequenceNo { get; private set; }

    /// <summary>What the caller gave this step when creating the run.</summary>
    public StepParameters ActualParams { get; private set; }

    /// <summary>What the connector runs with: the orchestrator step's defaults overlaid by <see cref="ActualParams"/>.</summary>
    public StepParameters RunParams { get; private set; }

    /// <summary>Time limit and retries, copied from the orchestrator step when the run was created.</summary>
    public StepExecutionPolicy Policy { get; private set; }

    public OrchRunStepStatus Status { get; private set; }

    public string StatusMessage { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => Status is OrchRunStepStatus.Completed or OrchRunStepStatus.Failed
        or OrchRunStepStatus.Cancelled or OrchRunStepStatus.Skipped;

    internal void Start(DateTimeOffset now)
    {
        if (Status != OrchRunStepStatus.Queued)
        {
            throw new InvalidStateTransitionException($"Step '{Name}' is {Status} and cannot start.");
        }

        Status = OrchRunStepStatus.Running;
        StartedAt = now;
        StatusMessage = string.Empty;
    }

    internal void Finish(OrchRunStepStatus status, string message, DateTimeOffset now)
    {
        Status = status;
        StatusMessage = message;
        FinishedAt = now;
    }

    /// <summary>A copy for a rerun: same definition and parameters, QUEUED, or COMPLETED when its result is kept.</summary>
    internal OrchRunStep CopyFor(Guid runId, bool keepCompleted, Guid sourceRunId, DateTimeOffset now)
    {
        var copy = new OrchRunStep(runId, OrchestratorStepId, Name, ComponentId, SequenceNo, ActualParams, RunParams, Policy);
        if (keepCompleted)
        {
            copy.Finish(OrchRunStepStatus.Completed, $"Completed in run {sourceRunId}.", now);
        }

        return copy;
    }

    /// <summary>A step that was running on a lost worker runs again from the start.</summary>
    internal void ReturnToQueue()
    {
        Status = OrchRunStepStatus.Queued;
        StartedAt = null;
        StatusMessage = string.Empty;
    }
}
