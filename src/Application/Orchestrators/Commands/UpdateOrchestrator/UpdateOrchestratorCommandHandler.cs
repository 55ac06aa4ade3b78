using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;

public sealed class UpdateOrchestratorCommandHandler : ICommandHandler<UpdateOrchestratorCommand, OrchestratorDto>
{
    private readonly IOrchestratorRepository _orchestrators;
    private readonly TimeProvider _clock;

    public UpdateOrchestratorCommandHandler(IOrchestratorRepository orchestrators, TimeProvider clock)
    {
        _orchestrators = orchestrators;
        _clock = clock;
    }

    public async ValueTask<OrchestratorDto> Handle(UpdateOrchestratorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = command.Id;
        var orchestrator = await _orchestrators.FindAsync(id, command.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator", id);
        orchestrator.Update(
            command.Name!,
            command.Description,
            command.UserType,
            OrchestratorDefinitionRules.ToDefinitions(command.Steps!),
            _clock.GetUtcNow());
        await _orchestrators.SaveChangesAsync(cancellationToken);
        return orchestrator.ToDto();
    }
}
