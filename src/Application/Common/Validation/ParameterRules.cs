using System.Text.Json;
using FluentValidation;

namespace OrchRunService.Application.Common.Validation;

public static class ParameterRules
{
    /// <summary>Step parameters, when given, must be a JSON object.</summary>
    public static IRuleBuilderOptions<T, JsonElement?> JsonObjectOrAbsent<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(p => p is null || p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined)
            .WithMessage("Parameters must be a JSON object.");

    public static string? ToJsonText(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
}
