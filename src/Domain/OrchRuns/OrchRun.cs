using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Domain.OrchRuns;

/// <summary>
/// One execution of an orchestrator, the aggregate root of its steps. Every status change goes
/// through a method here; an illegal move throws <see cref="InvalidStateTransitionException"/>.
/// </summary>
public sealed class OrchRun
{
    private readonly List<OrchRunStep> _steps = [];

    // For EF Core materialisation.
    private OrchRun()
    {
        Name = string.Empty;
        Description = string.Empty;
        Namespace = string.Empty;
        UserType = string.Empty;
        CreatedBy = string.Empty;
        Result = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrchestratorId { get; private set; }

    public string Name { get; private set; }

    public string Description { get; private set; }

    /// <summary>The one namespace (project) the run belongs to; it is only visible there.</summary>
    public string Namespace { get; private set; }

    public string UserType { get; private set; }

    /// <summary>The longest user id (a token's <c>sub</c>) the service stores.</summary>
    public const int MaxCreatedByLength = 200;

    public string CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    public OrchRunStatus Status { get; private set; }

    /// <summary>Why a run failed or was stopped; empty while all is well.</summary>
    public string Result { get; private set; }

    /// <summary>The worker node holding the run while it is RUNNING.</summary>
    public string? NodeId { get; private set; }

    /// <summary>How many times a worker has claimed the run (a crash recovery claims it again).</summary>
    public int Attempt { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>The run this one reruns, if it is a rerun.</summary>
    public Guid? RerunOfId { get; private set; }

    /// <summary>The schedule that created the run, if a schedule did.</summary>
    public Guid? ScheduleId { get; private set; }

    /// <summary>The schedule's slot (fire time) the run was created for.</summary>
    public DateTimeOffset? ScheduledFor { get; private set; }

    /// <summary>Steps in execution order.</summary>
    public IReadOnlyList<OrchRunStep> Steps => _steps.OrderBy(s => s.SequenceNo).ToList();

    /// <summary>
    /// A new QUEUED run of <paramref name="orchestrator"/>: its name, description, user type and
    /// steps are copied, so later edits of the orchestrator do not change the run.
    /// </summary>
    public static OrchRun Create(
        Orchestrator orchestrator,
        IReadOnlyList<ActualStepParameters> actualParams,
        string createdBy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(actualParams);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);

        var byStep = IndexActualParams(orchestrator, actualParams);
        var run = new OrchRun
        {
            Id = Guid.CreateVersion7(),
            OrchestratorId = orchestrator.Id,
            Name = orchestrator.Name,
            Description = orchestrator.Description,
            Namespace = orchestrator.Namespace,
            UserType = orchestrator.UserType,
            CreatedBy = createdBy,
            CreatedAt = now,
            Status = OrchRunStatus.Queued,
        };

        foreach (var step in orchestrator.Steps)
        {
            var actual = byStep.GetValueOrDefault(step.Id, StepParameters.Empty);
            run._steps.Add(new OrchRunStep(run.Id, step.Id, step.Name, step.ComponentId, step.SequenceNo, actual, step.Params.OverlaidWith(actual), step.Policy));
        }

        return run;
    }

    /// <summary>A new QUEUED run, as <see cref="Create"/>, made by schedule <paramref name="scheduleId"/> for its slot <paramref name="slot"/>.</summary>
    public static OrchRun CreateScheduled(
        Orchestrator orchestrator,
        IReadOnlyList<ActualStepParameters> actualParams,
        string createdBy,
        DateTimeOffset now,
        Guid scheduleId,
        DateTimeOffset slot)
    {
        var run = Create(orchestrator, actualParams, createdBy, now);
        run.ScheduleId = scheduleId;
        run.ScheduledFor = slot;
        return run;
    }

    /// <summary>
    /// A new QUEUED run of the same snapshot and parameters as <paramref name="source"/>, which
    /// must have FAILED or been CANCELLED. From <see cref="RerunFrom.Failed"/> the steps that
    /// completed before the first unfinished one keep their result and are not run again.
    /// </summary>
    public static OrchRun Rerun(OrchRun source, RerunFrom from, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        if (source.Status is not (OrchRunStatus.Failed or OrchRunStatus.Cancelled))
        {
            throw new InvalidStateTransitionException($"Run {source.Id} is {source.Status}; only FAILED or CANCELLED runs can be rerun.");
        }

        var run = new OrchRun
        {
            Id = Guid.CreateVersion7(),
            OrchestratorId = source.OrchestratorId,
            Name = source.Name,
            Description = source.Description,
            Namespace = source.Namespace,
            UserType = source.UserType,
            CreatedBy = createdBy,
            CreatedAt = now,
            Status = OrchRunStatus.Queued,
            RerunOfId = source.Id,
        };

        var keeping = from == RerunFrom.Failed;
        foreach (var step in source.Steps)
        {
            keeping &= step.Status == OrchRunStepStatus.Completed;
            run._steps.Add(step.CopyFor(run.Id, keeping, source.Id, now));
        }

        return run;
    }

    /// <summary>
    /// Asks the run to stop. QUEUED and RUNNING runs become REQUEST_CANCEL; asking again is a
    /// no-op. Returns whether anything changed.
    /// </summary>
    public bool RequestCancel(DateTimeOffset now)
    {
        switch (Status)
        {
            case OrchRunStatus.RequestCancel:
                return false;
            case OrchRunStatus.Queued or OrchRunStatus.Running:
                Status = OrchRunStatus.RequestCancel;
                UpdatedAt = now;
                return true;
            default:
                throw new InvalidStateTransitionException($"Run {Id} has already finished ({Status}) and cannot be cancelled.");
        }
    }

    /// <summary>A worker node takes a QUEUED run and holds it until <paramref name="leaseExpiresAt"/>.</summary>
    public void Claim(string nodeId, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        EnsureStatus(OrchRunStatus.Queued, "be claimed");
        Status = OrchRunStatus.Running;
        NodeId = nodeId;
        Attempt++;
        LeaseExpiresAt = leaseExpiresAt;
        UpdatedAt = now;
    }

    public OrchRunStep StartStep(Guid stepId, DateTimeOffset now)
    {
        EnsureStatus(OrchRunStatus.Running, "start a step");
        var step = GetStep(stepId);
        step.Start(now);
        UpdatedAt = now;
        return step;
    }

    public void CompleteStep(Guid stepId, DateTimeOffset now)
    {
        var step = GetRunningStep(stepId);
        step.Finish(OrchRunStepStatus.Completed, string.Empty, now);
        UpdatedAt = now;
    }

    /// <summary>A failed step fails the run: the steps after it are SKIPPED.</summary>
    public void FailStep(Guid stepId, string message, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var step = GetRunningStep(stepId);
        step.Finish(OrchRunStepStatus.Failed, message, now);
        foreach (var later in _steps.Where(s => !s.IsFinished))
        {
            later.Finish(OrchRunStepStatus.Skipped, $"Skipped: step '{step.Name}' failed.", now);
        }

        Status = OrchRunStatus.Failed;
        Result = $"Step '{step.Name}' failed: {message}";
        ReleaseHold();
        UpdatedAt = now;
    }

    /// <summary>The run is COMPLETED once every step has completed.</summary>
    public void Complete(DateTimeOffset now)
    {
        EnsureStatus(OrchRunStatus.Running, "complete");
        var unfinished = _steps.FirstOrDefault(s => s.Status != OrchRunStepStatus.Completed);
        if (unfinished is not null)
        {
            throw new InvalidStateTransitionException($"Run {Id} cannot complete: step '{unfinished.Name}' is {unfinished.Status}.");
        }

        Status = OrchRunStatus.Completed;
        ReleaseHold();
        UpdatedAt = now;
    }

    /// <summary>Finishes a cancel: the run is CANCELLED and its unfinished steps too.</summary>
    public void ConfirmCancelled(DateTimeOffset now)
    {
        EnsureStatus(OrchRunStatus.RequestCancel, "be confirmed cancelled");
        foreach (var step in _steps.Where(s => !s.IsFinished))
        {
            step.Finish(OrchRunStepStatus.Cancelled, "Cancelled on request.", now);
        }

        Status = OrchRunStatus.Cancelled;
        Result = "Cancelled on request.";
        ReleaseHold();
        UpdatedAt = now;
    }

    /// <summary>
    /// The holding node stopped without finishing (a crash, seen as an expired lease). The run
    /// resumes at its first unfinished step on another claim, unless it has used all its attempts.
    /// </summary>
    public void RecoverFromLostLease(int maxAttempts, DateTimeOffset now)
    {
        if (Status == OrchRunStatus.RequestCancel)
        {
            ConfirmCancelled(now);
            return;
        }

        EnsureStatus(OrchRunStatus.Running, "be recovered");
        var lostNode = NodeId;
        if (Attempt >= maxAttempts)
        {
            foreach (var step in _steps.Where(s => !s.IsFinished))
            {
                step.Finish(OrchRunStepStatus.Failed, "Not finished: the run could not be recovered.", now);
            }

            Status = OrchRunStatus.Failed;
            Result = $"Run abandoned after {Attempt} attempts: worker node {lostNode} stopped renewing its lease.";
            ReleaseHold();
            UpdatedAt = now;
            return;
        }

        ReturnToQueue(now);
    }

    /// <summary>
    /// The holding node shuts down cleanly before the run finished: it goes back to the queue
    /// without using up an attempt.
    /// </summary>
    public void ReleaseOnShutdown(string nodeId, DateTimeOffset now)
    {
        EnsureHeldBy(nodeId);
        if (Status == OrchRunStatus.RequestCancel)
        {
            ConfirmCancelled(now);
            return;
        }

        Attempt--;
        ReturnToQueue(now);
    }

    private static Dictionary<Guid, StepParameters> IndexActualParams(Orchestrator orchestrator, IReadOnlyList<ActualStepParameters> actualParams)
    {
        var byStep = new Dictionary<Guid, StepParameters>();
        for (var i = 0; i < actualParams.Count; i++)
        {
            var field = $"ActualParams[{i}].StepId";
            var given = actualParams[i];
            if (!Guid.TryParse(given.SequenceTypeId, out var stepId) || orchestrator.FindStep(stepId) is null)
            {
                throw new DomainValidationException(field, $"'{given.SequenceTypeId}' is not a step of orchestrator {orchestrator.Id}.");
            }

            if (!byStep.TryAdd(stepId, given.Params))
            {
                throw new DomainValidationException(field, $"Step '{given.SequenceTypeId}' is given more than once.");
            }
        }

        return byStep;
    }

    private void ReturnToQueue(DateTimeOffset now)
    {
        foreach (var step in _steps.Where(s => s.Status == OrchRunStepStatus.Running))
        {
            step.ReturnToQueue();
        }

        Status = OrchRunStatus.Queued;
        ReleaseHold();
        UpdatedAt = now;
    }

    private void ReleaseHold()
    {
        NodeId = null;
        LeaseExpiresAt = null;
    }

    private void EnsureStatus(OrchRunStatus expected, string action)
    {
        if (Status != expected)
        {
            throw new InvalidStateTransitionException($"Run {Id} is {Status} and cannot {action}.");
        }
    }

    private void EnsureHeldBy(string nodeId)
    {
        if (Status is not (OrchRunStatus.Running or OrchRunStatus.RequestCancel) || NodeId != nodeId)
        {
            throw new InvalidStateTransitionException($"Run {Id} is not held by node {nodeId}.");
        }
    }

    private OrchRunStep GetStep(Guid stepId) =>
        _steps.Find(s => s.Id == stepId) ?? throw new InvalidStateTransitionException($"Run {Id} has no step {stepId}.");

    private OrchRunStep GetRunningStep(Guid stepId)
    {
        if (Status is not (OrchRunStatus.Running or OrchRunStatus.RequestCancel))
        {
            throw new InvalidStateTransitionException($"Run {Id} is {Status}; its steps cannot finish.");
        }

        var step = GetStep(stepId);
        if (step.Status != OrchRunStepStatus.Running)
        {
            throw new InvalidStateTransitionException($"Step '{step.Name}' is {step.Status}, not running.");
        }

        return step;
    }
}
