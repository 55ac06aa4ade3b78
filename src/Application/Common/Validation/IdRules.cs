using FluentValidation;

namespace OrchRunService.Application.Common.Validation;

public static class IdRules
{
    /// <summary>An id on the wire must be a GUID (any of its usual spellings).</summary>
    public static IRuleBuilderOptions<T, string?> ValidId<T>(this IRuleBuilder<T, string?> rule, string fieldName) =>
        rule.NotEmpty().WithMessage($"{fieldName} is required.")
            .Must(id => id is null || id.Length == 0 || Guid.TryParse(id, out _))
            .WithMessage($"{fieldName} must be a GUID.")
            .OverridePropertyName(fieldName);
}
