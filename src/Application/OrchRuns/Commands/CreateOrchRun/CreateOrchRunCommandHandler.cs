using System.Security.Cryptography;
using System.Text;
using Mediator;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;

public sealed class CreateOrchRunCommandHandler : ICommandHandler<CreateOrchRunCommand, OrchRunDto>
{
    private readonly IOrchestratorRepository _orchestrators;
    private readonly IOrchRunRepository _runs;
    private readonly ICurrentUser _currentUser;
    private readonly QueuedRunLimit _limit;
    private readonly IRunQueueSignal _queueSignal;
    private readonly TimeProvider _clock;
    private readonly IConnectorCatalog _connectors;

    public CreateOrchRunCommandHandler(
        IOrchestratorRepository orchestrators,
        IOrchRunRepository runs,
        ICurrentUser currentUser,
        QueuedRunLimit limit,
        IRunQueueSignal queueSignal,
        TimeProvider clock,
        IConnectorCatalog connectors)
    {
        _connectors = connectors;
        _orchestrators = orchestrators;
        _runs = runs;
        _currentUser = currentUser;
        _limit = limit;
        _queueSignal = queueSignal;
        _clock = clock;
    }

    public async ValueTask<OrchRunDto> Handle(CreateOrchRunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orchestratorId = Guid.Parse(command.OrchestratorId!);
        var orchestrator = await _orchestrators.FindAsync(orchestratorId, command.Namespace, cancellationToken)
            ?? throw new RequestValidationException("orchestratorId", $"Orchestrator '{orchestratorId}' does not exist in namespace '{command.Namespace}'.");

        var actualParams = (command.ActualParams ?? [])
            .Select((p, i) => new ActualStepParameters(p.SequenceTypeId!, StepParameters.FromJson(p.Params.ToJsonText(), $"ActualParams[{i}].Params")))
            .ToList();
        var now = _clock.GetUtcNow();
        var run = OrchRun.Create(orchestrator, actualParams, _currentUser.UserId, now);
        EnsureEveryStepCanRun(run);

        await using (var admission = await _runs.BeginQueueAdmissionAsync(command.Namespace, cancellationToken))
        {
            // Inside the admission transaction, so concurrent retries with one key see each other.
            if (command.IdempotencyKey is { } key)
            {
                var fingerprint = Fingerprint(orchestratorId, actualParams);
                var record = await _runs.FindIdempotencyRecordAsync(command.Namespace, _currentUser.UserId, key, cancellationToken);
                if (record is not null && record.IsLiveAt(now))
                {
                    if (record.RequestHash != fingerprint)
                    {
                        throw new IdempotencyKeyReusedException(key);
                    }

                    if (await _runs.FindAsync(record.RunId, command.Namespace, cancellationToken) is { } earlier)
                    {
                        return earlier.ToDto();
                    }
                }

                if (record is null)
                {
                    _runs.AddIdempotencyRecord(new IdempotencyRecord(command.Namespace, _currentUser.UserId, key, fingerprint, run.Id, now));
                }
                else
                {
                    record.Reassign(fingerprint, run.Id, now);
                }
            }

            _limit.EnsureRoomFor(command.Namespace, admission.QueuedRuns);
            _runs.Add(run);
            await admission.CommitAsync(cancellationToken);
        }

        _queueSignal.RunQueued();
        OrchRunMetrics.RunCreated(run.Namespace);
        return run.ToDto();
    }

    /// <summary>A step whose connector refuses its parameters (the orchestrator's overlaid with the run's) is a 400 now, not a failed step later.</summary>
    private void EnsureEveryStepCanRun(OrchRun run)
    {
        foreach (var step in run.Steps)
        {
            if (ConnectorParameterRules.Problem(_connectors, step.ComponentId.ToString(), step.RunParams.Json) is { } problem)
            {
                throw new RequestValidationException("_actualparams", $"Step '{step.Name}': {problem}");
            }
        }
    }

    /// <summary>What makes two creates "the same request": the orchestrator and the normalised parameters.</summary>
    private static string Fingerprint(Guid orchestratorId, IReadOnlyList<ActualStepParameters> actualParams)
    {
        var text = new StringBuilder(orchestratorId.ToString("D"));
        foreach (var entry in actualParams)
        {
            text.Append('\n').Append(entry.SequenceTypeId.Trim().ToLowerInvariant()).Append('\n').Append(entry.Params.Json);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
