using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Secrets.Commands.DeleteSecret;

public sealed class DeleteSecretCommandValidator : AbstractValidator<DeleteSecretCommand>
{
    public DeleteSecretCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.Name).ValidSecretName();
    }
}
