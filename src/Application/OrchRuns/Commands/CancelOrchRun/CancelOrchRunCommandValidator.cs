using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;

public sealed class CancelOrchRunCommandValidator : AbstractValidator<CancelOrchRunCommand>
{
    public CancelOrchRunCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.BodyId)
            .NotEmpty().WithMessage("The body must carry the run's id.")
            .Must((c, bodyId) => bodyId is null || (Guid.TryParse(bodyId, out var b) && b == c.Id))
            .WithMessage("The body id must equal the id in the path.")
            .OverridePropertyName("body.id");
    }
}
