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

    /// <summary>Reads an epoch-milliseconds string (digits only); blank is null. False when it is no instant.</summary>
    public static bool TryParseEpochMilliseconds(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        if (text.Length > 15 || !text.All(char.IsAsciiDigit)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    public static JsonElement ToJsonElement(StepParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var document = JsonDocument.Parse(parameters.Json);
        return document.RootElement.Clone();
    }
}
