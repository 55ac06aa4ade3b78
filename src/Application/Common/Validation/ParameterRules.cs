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

    /// <summary>
    /// The bytes <paramref name="element"/> takes once stored (compact JSON, as
    /// <see cref="StepParameters"/> keeps it); its raw text's when it cannot be re-written (a lone
    /// surrogate, which another rule refuses).
    /// </summary>
    public static long StoredBytes(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return 0;
        }

        try
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                value.WriteTo(writer);
            }

            return buffer.WrittenCount;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return System.Text.Encoding.UTF8.GetByteCount(value.GetRawText());
        }
    }

    public static string? ToJsonText(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
}
