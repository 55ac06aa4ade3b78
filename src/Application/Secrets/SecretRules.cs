using FluentValidation;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.Secrets;

public static class SecretRules
{
    /// <summary>The name in the path: <see cref="Secret.NameRule"/>.</summary>
    public static IRuleBuilderOptions<T, string?> ValidSecretName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Secret.IsValidName).WithMessage($"A secret's name must be {Secret.NameRule}.")
            .OverridePropertyName("name");
}
