using System.Globalization;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>The run log's lines, worded as the seed's example log (one place for the wording).</summary>
public static class RunLogMessages
{
    public static string Begun => "Orch run execution has begun";

    public static string Ended => "Orch run has ended. Closing up file log stream";

    public static string RunningOrchestrator(OrchRun run, string nodeId) =>
        $"Running Orchestrator: {run.Name} in Node {nodeId}, orch_run_id: {run.Id}";

    public static string ExecutingStep(OrchRunStep step, string nodeId) =>
        $"Node {nodeId} Executing Step: Connector:{step.Name}, orch_run_id: {step.RunId}";

    public static string StepTook(OrchRunStep step, TimeSpan elapsed) =>
        $"[\"Step: Connector:{step.Name} took ->{Seconds(elapsed)}\"]";

    public static string Duration(OrchRun run, TimeSpan elapsed) =>
        $"Orchestrator {run.Name} Execution Duration in project {run.Namespace} is: {Seconds(elapsed)}, orch_run_id: {run.Id}";

    public static string UpdatingStatus(OrchRun run) =>
        $"Updating orch run status to {(int)run.Status} in OrchExecutionService, orch_run_id: {run.Id}";

    public static string Resuming(OrchRun run, int maxAttempts) =>
        $"Resuming orch run on attempt {run.Attempt} of {maxAttempts} from its first unfinished step, orch_run_id: {run.Id}";

    public static string UnknownComponent(OrchRunStep step) =>
        $"No connector is registered for component {step.ComponentId} (step '{step.Name}').";

    public static string SecretMissing(string name, string @namespace) =>
        $"secret '{name}' does not exist in namespace '{@namespace}'; create it with PUT /secret/{name} or change the step's parameters.";

    public static string SecretUnreadable(string name, string @namespace) =>
        $"secret '{name}' of namespace '{@namespace}' could not be decrypted; put its value again with PUT /secret/{name}.";

    public static string StepFailed(OrchRunStep step, string reason) =>
        $"Step: Connector:{step.Name} failed: {reason}, orch_run_id: {step.RunId}";

    /// <summary>What a user sees when a connector broke in a way it did not report: what to do, not the exception.</summary>
    public static string UnexpectedConnectorError(OrchRunStep step) =>
        $"Connector {step.Name} stopped with an internal error; rerun the run, and if it fails again give an administrator its orch_run_id {step.RunId}.";

    /// <summary>The line that takes the place of a connector's line once the run's log is full.</summary>
    public static string LineLimitReached(int maxLines) =>
        $"The run's log reached {maxLines} lines, the most {RunLogLimits.MaxLinesPerRunKey} allows: the step is stopped and no more of its lines are kept.";

    /// <summary>Why a step stopped by the line limit failed (its _statusmsg).</summary>
    public static string LineLimitFailure(int maxLines) =>
        $"The run's log reached {maxLines} lines ({RunLogLimits.MaxLinesPerRunKey}); write fewer lines or ask an administrator to raise the limit.";

    public static string TimedOut(int seconds) => $"Step timed out after {seconds} s.";

    public static string Retrying(OrchRunStep step, string reason, int retry, int retries, TimeSpan delay) =>
        $"Step: Connector:{step.Name} failed: {reason.TrimEnd('.')}; retry {retry} of {retries} after {delay.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms, orch_run_id: {step.RunId}";

    public static string CancelledWhileRunning(OrchRun run, string? stepName) => stepName is null
        ? $"Orch run cancelled on request, orch_run_id: {run.Id}"
        : $"Orch run cancelled on request while step Connector:{stepName} was running, orch_run_id: {run.Id}";

    public static string CancelledBeforeStart(OrchRun run) =>
        $"Orch run cancelled before it started, orch_run_id: {run.Id}";

    public static string ReleasedOnShutdown(OrchRun run, string nodeId) =>
        $"Node {nodeId} is shutting down; orch run returned to the queue to resume on another node, orch_run_id: {run.Id}";

    public static string LeaseLostRequeued(OrchRun run, string? lostNode, int maxAttempts) =>
        $"Node {lostNode} stopped renewing its lease; orch run requeued for attempt {run.Attempt + 1} of {maxAttempts}, orch_run_id: {run.Id}";

    public static string LeaseLostFinal(OrchRun run) => $"{run.Result} orch_run_id: {run.Id}";

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The closing lines of every finished run: its duration, its final status code and the end marker.</summary>
    public static void WriteClosing(RunLogBuffer log, OrchRun run, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Info(Duration(run, elapsed));
        log.Info(UpdatingStatus(run));
        log.End(Ended);
    }
}
