using NJsonSchema;
using NSwag;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>One parameter of an operation, as the OpenAPI document declares it.</summary>
public sealed record ApiParameter(string Name, OpenApiParameterKind Kind, bool Required, JsonSchema Schema);

/// <summary>One operation of the service's OpenAPI document: what the fuzzer calls and what it checks answers against.</summary>
public sealed record ApiOperation(
    string OperationId,
    HttpMethod Method,
    string PathTemplate,
    IReadOnlyList<ApiParameter> Parameters,
    JsonSchema? BodySchema,
    IReadOnlyDictionary<int, JsonSchema?> Responses)
{
    public bool HasPathId => PathTemplate.Contains("{id}", StringComparison.Ordinal);

    /// <summary>A secret's operation: the path names the secret.</summary>
    public bool HasPathName => PathTemplate.Contains("{name}", StringComparison.Ordinal);

    /// <summary>Runs or orchestrators: which ids make sense in the path.</summary>
    public bool IsRunOperation => PathTemplate.Contains("/orchrun", StringComparison.Ordinal);

    /// <summary>Schedules: schedule ids make sense in the path.</summary>
    public bool IsScheduleOperation => PathTemplate.Contains("/schedule", StringComparison.Ordinal);

    public override string ToString() => OperationId;
}

/// <summary>Reads the operations of the service's own OpenAPI document (/swagger/v1/swagger.json).</summary>
public static class ApiDescription
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static async Task<IReadOnlyList<ApiOperation>> LoadAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var json = await http.GetStringAsync(new Uri(DocumentPath, UriKind.Relative));
        return await ParseAsync(json);
    }

    public static async Task<IReadOnlyList<ApiOperation>> ParseAsync(string json)
    {
        var document = await OpenApiDocument.FromJsonAsync(json);
        return document.Operations
            .Select(description => ToOperation(description))
            .OrderBy(o => o.OperationId, StringComparer.Ordinal)
            .ToList();
    }

    private static ApiOperation ToOperation(OpenApiOperationDescription description)
    {
        var operation = description.Operation;
        // The JSON body is described by requestBody; NSwag also lists it as a parameter of kind Body.
        var parameters = operation.ActualParameters
            .Where(p => p.Kind is OpenApiParameterKind.Path or OpenApiParameterKind.Query or OpenApiParameterKind.Header)
            .Select(p => new ApiParameter(p.Name, p.Kind, p.IsRequired, p.ActualSchema))
            .ToList();
        var body = operation.ActualRequestBody?.Content.TryGetValue("application/json", out var media) == true ? media.Schema : null;
        var responses = operation.ActualResponses.ToDictionary(
            r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture),
            r => r.Value.Content.TryGetValue("application/json", out var m) ? m.Schema
                : r.Value.Content.TryGetValue("application/problem+json", out var p) ? p.Schema
                : null);
        return new ApiOperation(
            operation.OperationId,
            new HttpMethod(description.Method.ToUpperInvariant()),
            description.Path,
            parameters,
            body,
            responses);
    }
}
