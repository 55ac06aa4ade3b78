using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.Secrets.Commands.PutSecret;

public sealed class PutSecretCommandValidator : AbstractValidator<PutSecretCommand>
{
    public PutSecretCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.Name).ValidSecretName();
        RuleFor(c => c.Value)
            .NotEmpty().WithMessage("_value is required: the secret's value, a non-empty string.")
            .MaximumLength(Secret.MaxValueLength).WithMessage($"_value has at most {Secret.MaxValueLength} characters.")
            .Must(v => v is null || !JsonText.HasUnpairedSurrogate(v)).WithMessage("_value must be text: it holds an unpaired surrogate.")
            .OverridePropertyName("_value");
    }
}
