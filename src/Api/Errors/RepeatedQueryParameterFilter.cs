using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace OrchRunService.Api.Errors;

/// <summary>
/// Every query parameter of this API takes one value; given twice it is ambiguous, so the
/// request is refused before binding silently picks one.
/// </summary>
internal sealed class RepeatedQueryParameterFilter : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var errors = context.HttpContext.Request.Query
            .Where(p => p.Value.Count > 1)
            .ToDictionary(p => p.Key, p => new[] { $"Query parameter '{p.Key}' was given {p.Value.Count} times; give it once." });
        if (errors.Count > 0)
        {
            context.Result = new ProblemActionResult(new ValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemTypes.Validation,
                Title = "One or more request fields are invalid.",
                Detail = string.Join(" ", errors.Values.SelectMany(v => v)),
            });
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
