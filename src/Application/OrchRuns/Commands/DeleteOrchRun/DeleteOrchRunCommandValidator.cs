using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;

public sealed class DeleteOrchRunCommandValidator : AbstractValidator<DeleteOrchRunCommand>
{
    public DeleteOrchRunCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
    }
}
