using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OrchRunService.Api.Errors;

/// <summary>Model binding failures (malformed JSON, a number that is not one, a missing nsfilter) in our problem shape.</summary>
internal static class InvalidModelStateResponse
{
    public static IActionResult Create(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .Select(e => (Key: string.IsNullOrEmpty(e.Key) ? "body" : e.Key, e.Value!.Errors))
            .ToList();
        var malformedBody = entries.Any(e => e.Key == "body" || e.Key.StartsWith('$'));
        var errors = entries
            .Where(e => !(malformedBody && !e.Key.StartsWith('$') && e.Key != "body" && IsOnlyImplicitRequired(e.Errors)))
            .ToDictionary(e => e.Key, e => e.Errors.Select(x => Describe(e.Key, x)).Distinct(StringComparer.Ordinal).ToArray());
        var problem = new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = malformedBody ? ProblemTypes.MalformedRequest : ProblemTypes.Validation,
            Title = malformedBody ? "The request body is not valid JSON of the expected shape." : "One or more request fields are invalid.",
            Detail = string.Join(" ", errors.Values.SelectMany(v => v)),
        };
        return new ProblemActionResult(problem);
    }

    // When the body is not JSON of the right shape, "the request field is required" only repeats it.
    private static bool IsOnlyImplicitRequired(ModelErrorCollection errors) =>
        errors.All(e => e.ErrorMessage.EndsWith("field is required.", StringComparison.Ordinal));

    // System.Text.Json names our CLR types in its messages; say it in the client's terms.
    private static string Describe(string key, ModelError error)
    {
        if (string.IsNullOrEmpty(error.ErrorMessage))
        {
            return "The value is not valid.";
        }

        return error.ErrorMessage.Contains("could not be converted to", StringComparison.Ordinal)
            ? $"The value at '{key}' has the wrong JSON type."
            : error.ErrorMessage;
    }
}
