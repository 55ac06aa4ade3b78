using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;

public sealed class DeleteOrchestratorCommandValidator : AbstractValidator<DeleteOrchestratorCommand>
{
    public DeleteOrchestratorCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
    }
}
