using System.Text.Json.Serialization;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.Secrets;

/// <summary>What the API shows of a secret: never its value.</summary>
public sealed class SecretDto
{
    [JsonPropertyName("_name")]
    public required string Name { get; init; }

    /// <summary>Unix epoch milliseconds, as a string.</summary>
    [JsonPropertyName("_createdat")]
    public required string CreatedAt { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; absent until the value is first replaced.</summary>
    [JsonPropertyName("_updatedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpdatedAt { get; init; }

    public static SecretDto From(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new SecretDto
        {
            Name = secret.Name,
            CreatedAt = WireFormat.ToEpochMilliseconds(secret.CreatedAt),
            UpdatedAt = WireFormat.ToEpochMilliseconds(secret.UpdatedAt),
        };
    }
}
