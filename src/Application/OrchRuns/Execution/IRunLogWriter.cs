namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Appends lines to a run's log; they are persisted in batches.</summary>
public interface IRunLogWriter
{
    void Info(string message);

    void Warn(string message);

    void Error(string message);

    void Debug(string message);
}
