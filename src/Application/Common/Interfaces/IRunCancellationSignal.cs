namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Tells this process's worker at once that a run was asked to stop (other processes see it at their next lease renewal).</summary>
public interface IRunCancellationSignal
{
    void CancelRequested(Guid runId);
}
