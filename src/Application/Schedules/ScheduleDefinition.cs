using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules;

/// <summary>A validated body, read into domain values: what Schedule.Create and Update take.</summary>
public sealed record ScheduleDefinition(
    Orchestrator Orchestrator,
    ScheduleCron Cron,
    IReadOnlyList<ActualStepParameters> ActualParams,
    bool Enabled,
    OverlapPolicy Overlap,
    CatchupPolicy Catchup,
    DateTimeOffset? StartAt,
    DateTimeOffset? EndAt)
{
    /// <summary>
    /// Reads <paramref name="input"/> (already validated on the wire). The orchestrator must be
    /// of the namespace, and the parameters must make a run that could be created now: the same
    /// checks as a run's create, so a fire does not fail on input the API could have refused.
    /// </summary>
    public static async Task<ScheduleDefinition> ReadAsync(
        string @namespace,
        ScheduleDefinitionInput input,
        IOrchestratorRepository orchestrators,
        IConnectorCatalog connectors,
        ScheduleSettings settings,
        string userId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(orchestrators);
        ArgumentNullException.ThrowIfNull(settings);
        var orchestratorId = input.OrchestratorId!.Value;
        var orchestrator = await orchestrators.FindAsync(orchestratorId, @namespace, cancellationToken)
            ?? throw new RequestValidationException("orchestratorId", $"Orchestrator '{orchestratorId}' does not exist in namespace '{@namespace}'.");
        var cron = ScheduleCron.Parse(input.Cron, input.TimeZone, settings.MinInterval);
        var actualParams = (input.ActualParams ?? [])
            .Select((p, i) => new ActualStepParameters(p.SequenceTypeId!, StepParameters.FromJson(p.Params.ToJsonText(), $"ActualParams[{i}].Params")))
            .ToList();
        EnsureARunCanBeMade(orchestrator, actualParams, connectors, userId, now);
        ScheduleWireNames.TryParseOverlap(input.Overlap, out var overlap);
        ScheduleWireNames.TryParseCatchup(input.Catchup, out var catchup);
        WireFormat.TryParseEpochMilliseconds(input.StartAt, out var startAt);
        WireFormat.TryParseEpochMilliseconds(input.EndAt, out var endAt);
        return new ScheduleDefinition(orchestrator, cron, actualParams, input.Enabled ?? true, overlap, catchup, startAt, endAt);
    }

    /// <summary>Unknown or repeated step ids, and parameters a step's connector refuses, are a 400 now.</summary>
    private static void EnsureARunCanBeMade(
        Orchestrator orchestrator,
        IReadOnlyList<ActualStepParameters> actualParams,
        IConnectorCatalog connectors,
        string userId,
        DateTimeOffset now)
    {
        var trial = OrchRun.Create(orchestrator, actualParams, userId, now);
        foreach (var step in trial.Steps)
        {
            if (ConnectorParameterRules.Problem(connectors, step.ComponentId, step.RunParams.Json) is { } problem)
            {
                throw new RequestValidationException("_actualparams", $"Step '{step.Name}': {problem}");
            }
        }
    }
}
