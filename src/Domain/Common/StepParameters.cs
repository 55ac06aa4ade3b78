using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrchRunService.Domain.Common;

/// <summary>
/// A step's parameters: always a JSON object, kept as compact JSON text so that what was
/// submitted is what is stored and shown.
/// </summary>
public sealed record StepParameters
{
    public static readonly StepParameters Empty = new("{}");

    /// <summary>Why parameters with a lone surrogate half are refused (see <see cref="JsonText"/>).</summary>
    public const string UnpairedSurrogateMessage =
        "Parameters must be text: a key or string holds an unpaired surrogate (\\uD800-\\uDFFF without its other half).";

    private static readonly JsonDocumentOptions StrictOptions = new() { AllowDuplicateProperties = false };

    private StepParameters(string json)
    {
        Json = json;
    }

    public string Json { get; }

    /// <summary>Parses <paramref name="json"/>; anything but a JSON object is refused.</summary>
    public static StepParameters FromJson(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        if (JsonText.HasUnpairedSurrogate(json))
        {
            // Refused before anything reads it: the strict parse (for a key) and ToJsonString
            // (for a string) would throw InvalidOperationException, a 500 instead of a 400.
            throw new DomainValidationException(field, UnpairedSurrogateMessage);
        }

        JsonNode? node;
        try
        {
            // A repeated key would be stored as given and only fail later, when the object is
            // enumerated for an overlay (ArgumentException), so refuse it here.
            node = JsonNode.Parse(json, documentOptions: StrictOptions);
        }
        catch (JsonException)
        {
            throw new DomainValidationException(field, "Parameters must be a JSON object, each key given once.");
        }

        if (node is not JsonObject obj)
        {
            throw new DomainValidationException(field, "Parameters must be a JSON object.");
        }

        return new StepParameters(obj.ToJsonString());
    }

    /// <summary>
    /// Parameters read back from storage. Only <see cref="FromJson"/> produces what is stored, as
    /// a checked, compact JSON object, so reading it back does not parse it again (every step of
    /// every run a query returns went through a JSON parse and re-serialisation).
    /// </summary>
    public static StepParameters FromStored(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json == Empty.Json ? Empty : new StepParameters(json);
    }

    /// <summary>
    /// These parameters with <paramref name="overrides"/> laid over them, key by key at the top
    /// level: a run's actual parameters replace the orchestrator step's defaults of the same name.
    /// </summary>
    public StepParameters OverlaidWith(StepParameters overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Json == Empty.Json)
        {
            return this;
        }

        var merged = (JsonObject)JsonNode.Parse(Json)!;
        var top = (JsonObject)JsonNode.Parse(overrides.Json)!;
        foreach (var (key, value) in top)
        {
            merged[key] = value?.DeepClone();
        }

        return new StepParameters(merged.ToJsonString());
    }

    public override string ToString() => Json;
}
