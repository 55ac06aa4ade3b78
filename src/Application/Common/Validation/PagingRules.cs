using FluentValidation;

namespace OrchRunService.Application.Common.Validation;

public static class PagingRules
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 1000;

    public static IRuleBuilderOptions<T, int?> ValidPageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, MaxPageSize).WithMessage($"_pageSize must be between 1 and {MaxPageSize}.")
            .OverridePropertyName("_pageSize");

    public static IRuleBuilderOptions<T, int?> ValidOffset<T>(this IRuleBuilder<T, int?> rule) =>
        rule.GreaterThanOrEqualTo(0).WithMessage("_offset must be 0 or more.")
            .OverridePropertyName("_offset");
}
