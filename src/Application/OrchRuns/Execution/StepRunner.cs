using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Runs one started step of an executing run: its connector under the step's policy (each
/// attempt within the time limit, a failed attempt retried after a doubling delay), the step's
/// log lines written every flush interval meanwhile, and its end recorded on the run.
/// </summary>
public sealed class StepRunner
{
    private readonly IConnectorCatalog _connectors;
    private readonly StepSecretResolver _secrets;
    private readonly TimeProvider _clock;
    private readonly RunExecutionSettings _settings;
    private readonly ILogger<StepRunner> _logger;

    public StepRunner(IConnectorCatalog connectors, StepSecretResolver secrets, TimeProvider clock, RunExecutionSettings settings, ILogger<StepRunner> logger)
    {
        _connectors = connectors;
        _secrets = secrets;
        _clock = clock;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="step"/> (RUNNING on <paramref name="executing"/>'s run) to its end:
    /// COMPLETED or FAILED on the run, unsaved. <paramref name="interrupt"/> stops it.
    /// </summary>
    internal async Task<StepOutcome> RunAsync(ExecutingRun executing, OrchRunStep step, CancellationToken interrupt)
    {
        var run = executing.Run;
        var log = executing.Log;
        log.Info(RunLogMessages.ExecutingStep(step, executing.Claim.NodeId));
        if (_connectors.Find(step.ComponentId) is not { } connector)
        {
            var reason = RunLogMessages.UnknownComponent(step);
            OrchRunMetrics.StepFinished("unknown", "failed", TimeSpan.Zero);
            log.Error(RunLogMessages.StepFailed(step, reason));
            run.FailStep(step.Id, reason, _clock.GetUtcNow());
            return StepOutcome.Failed;
        }

        // Read before the log starts flushing: both use the run's database context. A short read,
        // not interrupted: a cancel is noticed once the connector runs.
        var resolved = await _secrets.ResolveAsync(run, step, CancellationToken.None);
        if (resolved.Failure is { } unresolved)
        {
            OrchRunMetrics.StepFinished(connector.Name, "failed", TimeSpan.Zero);
            log.Error(RunLogMessages.StepFailed(step, unresolved));
            run.FailStep(step.Id, unresolved, _clock.GetUtcNow());
            return StepOutcome.Failed;
        }

        var started = _clock.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var lost = false;
        var lineLimitReached = false;
        string? failure = null;
        log.Bound(_settings.LogLimits, () =>
        {
            // The log is full: stop the connector; the step fails below.
            lineLimitReached = true;
            stop.Cancel();
        });
        log.StartFlushing(_settings.LogFlushInterval, executing.AppendLogAsync, () =>
        {
            // A flush found the run deleted or claimed by another node: stop the connector.
            lost = true;
            stop.Cancel();
        });
        try
        {
            failure = await RunAttemptsAsync(connector, step, resolved, log, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && (lost || !lineLimitReached))
        {
            return lost ? StepOutcome.Lost : StepOutcome.Interrupted;
        }
        catch (OperationCanceledException) when (lineLimitReached)
        {
            // Failed below, as any step.
        }
        catch (RunLostException)
        {
            return StepOutcome.Lost;
        }
        finally
        {
            await log.StopFlushingAsync();
        }

        if (lost)
        {
            return StepOutcome.Lost;
        }

        if (lineLimitReached)
        {
            failure = RunLogMessages.LineLimitFailure(_settings.LogLimits.MaxLinesPerRun);
        }

        var elapsed = _clock.GetElapsedTime(started);
        if (failure is not null)
        {
            log.Error(RunLogMessages.StepFailed(step, failure));
            log.Info(RunLogMessages.StepTook(step, elapsed));
            run.FailStep(step.Id, failure, _clock.GetUtcNow());
            OrchRunMetrics.StepFinished(connector.Name, "failed", elapsed);
            return StepOutcome.Failed;
        }

        OrchRunMetrics.StepFinished(connector.Name, "completed", elapsed);
        log.Info(RunLogMessages.StepTook(step, elapsed));
        run.CompleteStep(step.Id, _clock.GetUtcNow());
        return StepOutcome.Completed;
    }

    /// <summary>
    /// Runs the step's attempts under its policy. Returns null on success, else why the last
    /// attempt failed. A stop (also during a retry wait) propagates as OperationCanceledException,
    /// a run lost while its lines are written before a retry wait as <see cref="RunLostException"/>.
    /// The connector gets the parameters with their secrets in place; what it writes to the log and
    /// the reasons it fails with lose those values again.
    /// </summary>
    private async Task<string?> RunAttemptsAsync(IConnector connector, OrchRunStep step, ResolvedStepParameters resolved, RunLogBuffer log, CancellationTokenSource stop)
    {
        var policy = step.Policy;
        var redactor = resolved.Redactor;
        IRunLogWriter connectorLog = redactor.IsEmpty ? log.ConnectorLines : new RedactingRunLogWriter(log.ConnectorLines, redactor);
        for (var retry = 0; ; retry++)
        {
            string reason;
            using var timeout = policy.TimeoutSeconds is { } limit
                ? new CancellationTokenSource(TimeSpan.FromSeconds(limit), _clock)
                : new CancellationTokenSource();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timeout.Token);
            try
            {
                using var parameters = JsonDocument.Parse(resolved.Json!);
                await connector.ExecuteAsync(new ConnectorContext(step.RunId, step.Name, parameters.RootElement, connectorLog), attempt.Token);
                return null;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                reason = RunLogMessages.TimedOut(policy.TimeoutSeconds!.Value);
            }
            catch (ConnectorFailedException ex)
            {
                reason = redactor.Redact(ex.Message);
            }
            catch (Exception ex) when (ex is not RunLostException && (ex is not OperationCanceledException || !stop.IsCancellationRequested))
            {
                // An exception's type and text speak of the service's insides (paths, addresses,
                // SQL): they go to the service's log; the user gets what to do about it.
                if (redactor.IsEmpty)
                {
                    _logger.LogError(ex, "Connector {Connector} threw in step {StepId} of run {RunId}", connector.Name, step.Id, step.RunId);
                }
                else
                {
                    // The exception's text may quote a secret's value: the service's log gets it masked.
                    _logger.LogError("Connector {Connector} threw in step {StepId} of run {RunId}: {Exception}", connector.Name, step.Id, step.RunId, redactor.Redact(ex.ToString()));
                }

                reason = RunLogMessages.UnexpectedConnectorError(step);
            }

            if (retry >= policy.Retries)
            {
                return reason;
            }

            var delay = policy.DelayBeforeRetry(retry + 1);
            log.Warn(RunLogMessages.Retrying(step, reason, retry + 1, policy.Retries, delay));

            // Write the lines before waiting, so the log shows why the step waits while it waits
            // (a retry delay can be an hour).
            await log.FlushAsync();
            await Task.Delay(delay, _clock, stop.Token);
        }
    }
}
