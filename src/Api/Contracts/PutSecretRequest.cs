using System.Text.Json.Serialization;

namespace OrchRunService.Api.Contracts;

/// <summary>The body of PUT /secret/{name}.</summary>
public sealed class PutSecretRequest
{
    /// <summary>The secret's value: stored encrypted, never returned by any endpoint.</summary>
    [JsonPropertyName("_value")]
    public string? Value { get; init; }

    // Nothing that prints the request (a debugger, a log of the model) shows the value.
    public override string ToString() => "PutSecretRequest { _value = *** }";
}
