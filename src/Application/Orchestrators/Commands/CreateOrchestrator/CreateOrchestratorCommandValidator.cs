using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;

public sealed class CreateOrchestratorCommandValidator : AbstractValidator<CreateOrchestratorCommand>
{
    public CreateOrchestratorCommandValidator(IConnectorCatalog connectors)
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        this.AddDefinitionRules(c => c.Name, c => c.Description, c => c.UserType, c => c.Steps, connectors);
        RuleForEach(c => c.Steps)
            .Must(s => s.Id is null).WithMessage("A new orchestrator's steps get their ids from the service; leave id out.")
            .OverridePropertyName("steps");
    }
}
