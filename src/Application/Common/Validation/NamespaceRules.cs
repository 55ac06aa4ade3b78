using System.Text.RegularExpressions;
using FluentValidation;

namespace OrchRunService.Application.Common.Validation;

public static partial class NamespaceRules
{
    public const string FieldName = "nsfilter";

    /// <summary>nsfilter: 1-64 characters of A-Z, a-z, 0-9, '_' and '-'.</summary>
    public static IRuleBuilderOptions<T, string> ValidNamespace<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("The nsfilter query parameter is required.")
            .Must(ns => string.IsNullOrEmpty(ns) || IsWellFormed(ns))
            .WithMessage("nsfilter must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'.")
            .OverridePropertyName(FieldName);

    public static bool IsWellFormed(string? @namespace) => @namespace is not null && NamespacePattern().IsMatch(@namespace);

    // \z, not $: in .NET, $ also matches before a final "\n", which would admit "team_a\n".
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();
}
