using System.Text.Json;
using FluentValidation;
using OrchRunService.Domain.Common;

namespace OrchRunService.Application.Common.Validation;

public static class ParameterRules
{
    /// <summary>Step parameters, when given, must be a JSON object.</summary>
    public static IRuleBuilderOptions<T, JsonElement?> JsonObjectOrAbsent<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(p => p is null || p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined)
            .WithMessage("Parameters must be a JSON object.");

    /// <summary>
    /// Every key and string of the parameters, at any depth, must be text: the request body
    /// parsed, but a lone surrogate half (<c>"\ud800"</c>) makes System.Text.Json throw once
    /// anything reads that key or string (see <see cref="JsonText"/>).
    /// </summary>
    public static IRuleBuilderOptions<T, JsonElement?> WellFormedJsonText<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(p => p is not { } value || value.ValueKind is JsonValueKind.Undefined || !JsonText.HasUnpairedSurrogate(value.GetRawText()))
            .WithMessage(StepParameters.UnpairedSurrogateMessage);

    public static string? ToJsonText(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
}
