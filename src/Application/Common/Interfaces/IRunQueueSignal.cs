namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Tells this process's worker that a run was queued, so it need not wait for its next poll.</summary>
public interface IRunQueueSignal
{
    void RunQueued();
}
