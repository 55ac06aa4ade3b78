using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;

public sealed class RerunOrchRunCommandValidator : AbstractValidator<RerunOrchRunCommand>
{
    public RerunOrchRunCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.FromStep)
            .Must(f => string.IsNullOrEmpty(f) || RerunOrchRunCommandHandler.TryParseFrom(f, out _))
            .WithMessage("fromStep must be 'failed' or 'first'.")
            .OverridePropertyName("fromStep");
    }
}
