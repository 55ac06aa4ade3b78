using FluentValidation;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;

/// <summary>The steps' connectors exist (beside the shape rules of <see cref="UpdateOrchestratorCommandValidator"/>).</summary>
public sealed class UpdateOrchestratorConnectorsValidator : AbstractValidator<UpdateOrchestratorCommand>
{
    public UpdateOrchestratorConnectorsValidator(IConnectorCatalog connectors)
    {
        this.AddKnownConnectorRule(connectors, c => c.Steps);
    }
}
