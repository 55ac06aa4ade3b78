using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Application.Common.Validation;
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

    public CreateOrchRunCommandHandler(
        IOrchestratorRepository orchestrators,
        IOrchRunRepository runs,
        ICurrentUser currentUser,
        QueuedRunLimit limit,
        IRunQueueSignal queueSignal,
        TimeProvider clock)
    {
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
            .Select((p, i) => new ActualStepParameters(p.SequenceTypeId!, StepParameters.FromJson(p.Params.ToJsonText(), $"_actualparams[{i}].params")))
            .ToList();
        var run = OrchRun.Create(orchestrator, actualParams, _currentUser.UserId, _clock.GetUtcNow());

        await using (var admission = await _runs.BeginQueueAdmissionAsync(command.Namespace, cancellationToken))
        {
            _limit.EnsureRoomFor(command.Namespace, admission.QueuedRuns);
            _runs.Add(run);
            await admission.CommitAsync(cancellationToken);
        }

        _queueSignal.RunQueued();
        OrchRunMetrics.RunCreated(run.Namespace);
        return run.ToDto();
    }
}
