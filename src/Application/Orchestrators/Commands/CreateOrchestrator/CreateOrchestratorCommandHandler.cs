using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;

public sealed class CreateOrchestratorCommandHandler : ICommandHandler<CreateOrchestratorCommand, OrchestratorDto>
{
    private readonly IOrchestratorRepository _orchestrators;
    private readonly TimeProvider _clock;

    public CreateOrchestratorCommandHandler(IOrchestratorRepository orchestrators, TimeProvider clock)
    {
        _orchestrators = orchestrators;
        _clock = clock;
    }

    public async ValueTask<OrchestratorDto> Handle(CreateOrchestratorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orchestrator = Orchestrator.Create(
            command.Namespace,
            command.Name!,
            command.Description,
            command.UserType,
            OrchestratorDefinitionRules.ToDefinitions(command.Steps!),
            _clock.GetUtcNow());
        _orchestrators.Add(orchestrator);
        await _orchestrators.SaveChangesAsync(cancellationToken);
        return orchestrator.ToDto();
    }
}
