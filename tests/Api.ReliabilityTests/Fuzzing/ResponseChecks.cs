using System.Net;
using System.Text.Json;
using NJsonSchema;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>
/// Schemathesis's checks over one answer: not a server error, a status the document declares,
/// an error that is one of our problem documents, a success whose body conforms to the
/// document's schema.
/// </summary>
public static class ResponseChecks
{
    public const string ProblemTypePrefix = "urn:orchrun:problem:";

    /// <summary>
    /// Kestrel refuses what is not acceptable HTTP (a request line over 16 KiB: 414, headers over
    /// 32 KiB: 431, a NUL or malformed target: 400) before the application sees the request, with
    /// an empty body and the connection closed; no application code can answer those.
    /// </summary>
    public static bool IsProtocolRejection(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.ConnectionClose == true
               && response.Content.Headers.ContentType is null
               && response.Content.Headers.ContentLength is 0
               && (int)response.StatusCode is 400 or 414 or 431;
    }

    /// <summary>The violations of one answer (none when it passes every check).</summary>
    public static List<string> Check(ApiOperation operation, HttpStatusCode status, string? mediaType, string body, bool protocolRejection = false)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var code = (int)status;
        var violations = new List<string>();
        if (code >= 500)
        {
            violations.Add($"server error {code}");
        }

        if (protocolRejection)
        {
            return violations;
        }

        if (!operation.Responses.ContainsKey(code))
        {
            violations.Add($"status {code} is not declared for {operation.OperationId}");
        }

        if (code >= 400)
        {
            violations.AddRange(ProblemViolations(code, mediaType, body));
        }
        else if (code is >= 200 and < 300)
        {
            violations.AddRange(SuccessViolations(operation, code, mediaType, body));
        }

        return violations;
    }

    /// <summary>An error answer must be application/problem+json with our type, the same status, a detail, and no stack trace.</summary>
    public static IEnumerable<string> ProblemViolations(int code, string? mediaType, string body)
    {
        if (mediaType != "application/problem+json")
        {
            yield return $"{code} answered as '{mediaType ?? "(no content type)"}', not application/problem+json";
            yield break;
        }

        if (ParseOrNull(body) is not { } problem)
        {
            yield return $"{code} problem body is not JSON";
            yield break;
        }

        if (problem.ValueKind != JsonValueKind.Object)
        {
            yield return $"{code} problem body is not an object";
            yield break;
        }

        if (!problem.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !type.GetString()!.StartsWith(ProblemTypePrefix, StringComparison.Ordinal))
        {
            yield return $"{code} problem has no {ProblemTypePrefix} type";
        }

        if (!problem.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || status.GetInt32() != code)
        {
            yield return $"{code} problem status field differs";
        }

        if (!problem.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(detail.GetString()))
        {
            yield return $"{code} problem has no detail";
        }

        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
        {
            yield return $"{code} problem shows a stack trace or exception name";
        }
    }

    private static IEnumerable<string> SuccessViolations(ApiOperation operation, int code, string? mediaType, string body)
    {
        operation.Responses.TryGetValue(code, out var schema);
        if (schema is null)
        {
            if (body.Length > 0)
            {
                yield return $"{code} has a body where the document declares none";
            }

            yield break;
        }

        if (mediaType != "application/json")
        {
            yield return $"{code} answered as '{mediaType ?? "(no content type)"}', not application/json";
            yield break;
        }

        if (ParseOrNull(body) is null)
        {
            yield return $"{code} body is not JSON";
            yield break;
        }

        var errors = schema.Validate(body, SchemaType.OpenApi3);
        foreach (var error in errors.Take(5))
        {
            yield return $"{code} body does not conform to the schema: {error}";
        }
    }

    private static JsonElement? ParseOrNull(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
