using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace OrchRunService.Api.Errors;

/// <summary>
/// Writes a problem the way the exception handler's answers look: the same customisation
/// (type URN, instance, traceId), application/problem+json whatever the action's [Produces]
/// says, and serialised as its runtime type so a validation problem keeps its <c>errors</c>.
/// </summary>
internal sealed class ProblemActionResult : IActionResult
{
    public ProblemActionResult(ProblemDetails problem)
    {
        Problem = problem;
    }

    public ProblemDetails Problem { get; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        http.Response.StatusCode = Problem.Status ?? StatusCodes.Status400BadRequest;
        var options = http.RequestServices.GetRequiredService<IOptions<ProblemDetailsOptions>>().Value;
        options.CustomizeProblemDetails?.Invoke(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Problem });
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Mvc.JsonOptions>>().Value.JsonSerializerOptions;
        http.Response.ContentType = "application/problem+json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, Problem, Problem.GetType(), json, http.RequestAborted);
    }
}
