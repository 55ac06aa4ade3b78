using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;

public sealed class DeleteOrchestratorCommandHandler : ICommandHandler<DeleteOrchestratorCommand>
{
    private readonly IOrchestratorRepository _orchestrators;

    public DeleteOrchestratorCommandHandler(IOrchestratorRepository orchestrators)
    {
        _orchestrators = orchestrators;
    }

    public async ValueTask<Unit> Handle(DeleteOrchestratorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = command.Id;
        var orchestrator = await _orchestrators.FindAsync(id, command.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator", id);
        _orchestrators.Remove(orchestrator);
        await _orchestrators.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
