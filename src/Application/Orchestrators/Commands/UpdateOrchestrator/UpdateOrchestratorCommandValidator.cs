using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.Orchestrators;

namespace OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;

public sealed class UpdateOrchestratorCommandValidator : AbstractValidator<UpdateOrchestratorCommand>
{
    public UpdateOrchestratorCommandValidator(IConnectorCatalog connectors)
        : this(connectors, DefinitionLimits.Default)
    {
    }

    public UpdateOrchestratorCommandValidator(IConnectorCatalog connectors, DefinitionLimits limits)
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.BodyId)
            .Must((c, bodyId) => bodyId is null || (Guid.TryParse(bodyId, out var b) && b == c.Id))
            .WithMessage("The body id, when given, must equal the id in the path.")
            .OverridePropertyName("body.id");
        this.AddDefinitionRules(c => c.Name, c => c.Description, c => c.UserType, c => c.Steps, connectors, limits);
    }
}
