using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrchRunService.Domain.Secrets;

/// <summary>
/// A parameter value <c>{"$secret": "name"}</c>, anywhere in a step's parameters, stands for the
/// value of the namespace's secret of that name. Parameters keep the reference; only the worker
/// puts the value in its place, in memory, for the connector.
/// </summary>
public static class SecretReferences
{
    public const string Key = "$secret";

    /// <summary>Why the references in <paramref name="parameters"/> are malformed, or null when every one is well-formed.</summary>
    public static string? Problem(JsonElement parameters)
    {
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(Key, out _))
        {
            return $"A secret reference stands for one parameter's value (\"headers\": {{\"Authorization\": {{\"{Key}\": \"name\"}}}}), not for the parameters as a whole.";
        }

        return ProblemIn(parameters);
    }

    private static string? ProblemIn(JsonElement parameters)
    {
        switch (parameters.ValueKind)
        {
            case JsonValueKind.Object when parameters.TryGetProperty(Key, out var name):
                if (parameters.EnumerateObject().Count() != 1)
                {
                    return $"A secret reference is an object with the one key \"{Key}\"; remove the other keys.";
                }

                return name.ValueKind == JsonValueKind.String && Secret.IsValidName(name.GetString())
                    ? null
                    : $"\"{Key}\" must name a secret: {Secret.NameRule}.";
            case JsonValueKind.Object:
                return parameters.EnumerateObject().Select(p => ProblemIn(p.Value)).FirstOrDefault(p => p is not null);
            case JsonValueKind.Array:
                return parameters.EnumerateArray().Select(ProblemIn).FirstOrDefault(p => p is not null);
            default:
                return null;
        }
    }

    /// <summary>The names of the secrets <paramref name="parameters"/> refer to, each once (well-formed references only).</summary>
    public static IReadOnlySet<string> Names(JsonElement parameters)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(parameters, names);
        return names;
    }

    /// <summary>
    /// <paramref name="parametersJson"/> with every reference replaced by the string
    /// <paramref name="values"/> holds for its name (each name must be there).
    /// </summary>
    public static string Resolve(string parametersJson, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return parametersJson;
        }

        // The parameters are an object, never a reference themselves (see Problem).
        var root = JsonNode.Parse(parametersJson)!;
        Replace(root, values);
        return root.ToJsonString();
    }

    private static void Collect(JsonElement element, HashSet<string> names)
    {
        if (AsReference(element) is { } name)
        {
            names.Add(name);
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Collect(property.Value, names);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, names);
            }
        }
    }

    private static string? AsReference(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(Key, out var name)
        && name.ValueKind == JsonValueKind.String
        && element.EnumerateObject().Count() == 1
            ? name.GetString()
            : null;

    /// <summary>The node that replaces <paramref name="node"/> when it is a reference; children are replaced in place.</summary>
    private static JsonNode? Replace(JsonNode? node, IReadOnlyDictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.TryGetPropertyValue(Key, out var name) && name is JsonValue value && value.TryGetValue<string>(out var secretName):
                return JsonValue.Create(values[secretName]);
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (Replace(obj[key], values) is { } replacement)
                    {
                        obj[key] = replacement;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Replace(array[i], values) is { } replacement)
                    {
                        array[i] = replacement;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
