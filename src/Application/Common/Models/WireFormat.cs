using System.Globalization;
using System.Text.Json;
using OrchRunService.Domain.Common;

namespace OrchRunService.Application.Common.Models;

/// <summary>Conversions the seed's wire format asks for, shared by the mappers.</summary>
public static class WireFormat
{
    public static string ToEpochMilliseconds(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public static string? ToEpochMilliseconds(DateTimeOffset? time) =>
        time is { } value ? ToEpochMilliseconds(value) : null;

    public static JsonElement ToJsonElement(StepParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var document = JsonDocument.Parse(parameters.Json);
        return document.RootElement.Clone();
    }
}
