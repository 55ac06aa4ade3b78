using System.Text.Json;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Connectors;

/// <summary>Typed reads of a step's parameters, failing the step with a clear message on a bad value.</summary>
internal static class ConnectorParameters
{
    /// <summary>An integer parameter as its declaration says (default and limits).</summary>
    public static int GetInt(this JsonElement parameters, ConnectorParameter parameter) =>
        parameters.GetInt(parameter.Name, int.Parse(parameter.Default!, System.Globalization.CultureInfo.InvariantCulture), (int)parameter.Minimum!.Value, (int)parameter.Maximum!.Value);

    public static int GetInt(this JsonElement parameters, string name, int defaultValue, int min, int max)
    {
        if (!parameters.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        throw new ConnectorFailedException($"Parameter '{name}' must be a whole number from {min} to {max}.");
    }

    public static string? GetString(this JsonElement parameters, string name) =>
        parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
