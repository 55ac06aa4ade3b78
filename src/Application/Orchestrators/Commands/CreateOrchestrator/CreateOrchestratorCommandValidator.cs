using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.Orchestrators;

namespace OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;

public sealed class CreateOrchestratorCommandValidator : AbstractValidator<CreateOrchestratorCommand>
{
    public CreateOrchestratorCommandValidator(IConnectorCatalog connectors)
        : this(connectors, DefinitionLimits.Default)
    {
    }

    public CreateOrchestratorCommandValidator(IConnectorCatalog connectors, DefinitionLimits limits)
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        this.AddDefinitionRules(c => c.Name, c => c.Description, c => c.UserType, c => c.Steps, connectors, limits);
        RuleForEach(c => c.Steps)
            .Must(s => s.Id is null).WithMessage("A new orchestrator's steps get their ids from the service; leave id out.")
            .OverridePropertyName("steps");
    }
}
