using FluentValidation;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;

/// <summary>The steps' connectors exist (beside the shape rules of <see cref="CreateOrchestratorCommandValidator"/>).</summary>
public sealed class CreateOrchestratorConnectorsValidator : AbstractValidator<CreateOrchestratorCommand>
{
    public CreateOrchestratorConnectorsValidator(IConnectorCatalog connectors)
    {
        this.AddKnownConnectorRule(connectors, c => c.Steps);
    }
}
