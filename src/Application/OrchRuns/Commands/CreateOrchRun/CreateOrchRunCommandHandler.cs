using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Commands.Idempotency;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;

public sealed class CreateOrchRunCommandHandler : ICommandHandler<CreateOrchRunCommand, OrchRunDto>
{
    private readonly IOrchestratorRepository _orchestrators;
    private readonly ICurrentUser _currentUser;
    private readonly RunEnqueuer _enqueuer;
    private readonly TimeProvider _clock;
    private readonly IConnectorCatalog _connectors;

    public CreateOrchRunCommandHandler(
        IOrchestratorRepository orchestrators,
        ICurrentUser currentUser,
        RunEnqueuer enqueuer,
        TimeProvider clock,
        IConnectorCatalog connectors)
    {
        _connectors = connectors;
        _orchestrators = orchestrators;
        _currentUser = currentUser;
        _enqueuer = enqueuer;
        _clock = clock;
    }

    public async ValueTask<OrchRunDto> Handle(CreateOrchRunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orchestratorId = command.OrchestratorId!.Value;
        var orchestrator = await _orchestrators.FindAsync(orchestratorId, command.Namespace, cancellationToken)
            ?? throw new RequestValidationException("orchestratorId", $"Orchestrator '{orchestratorId}' does not exist in namespace '{command.Namespace}'.");

        var actualParams = (command.ActualParams ?? [])
            .Select((p, i) => new ActualStepParameters(p.SequenceTypeId!, StepParameters.FromJson(p.Params.ToJsonText(), $"ActualParams[{i}].Params")))
            .ToList();
        var now = _clock.GetUtcNow();
        var run = OrchRun.Create(orchestrator, actualParams, _currentUser.UserId, now);
        EnsureEveryStepCanRun(run);

        var idempotentRequest = command.IdempotencyKey is { } key ? IdempotentRequest.ForCreate(key, orchestratorId, actualParams) : null;
        return (await _enqueuer.EnqueueAsync(run, idempotentRequest, cancellationToken)).ToDto();
    }

    /// <summary>A step whose connector refuses its parameters (the orchestrator's overlaid with the run's) is a 400 now, not a failed step later.</summary>
    private void EnsureEveryStepCanRun(OrchRun run)
    {
        foreach (var step in run.Steps)
        {
            if (ConnectorParameterRules.Problem(_connectors, step.ComponentId, step.RunParams.Json) is { } problem)
            {
                throw new RequestValidationException("_actualparams", $"Step '{step.Name}': {problem}");
            }
        }
    }
}
