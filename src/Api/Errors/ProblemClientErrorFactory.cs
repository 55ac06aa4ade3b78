using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace OrchRunService.Api.Errors;

/// <summary>Bare status results of MVC (415 from [Consumes], 404, 406) as our problem answers.</summary>
internal sealed class ProblemClientErrorFactory : IClientErrorFactory
{
    public IActionResult GetClientError(ActionContext actionContext, IClientErrorActionResult clientError)
    {
        ArgumentNullException.ThrowIfNull(clientError);
        var status = clientError.StatusCode ?? StatusCodes.Status500InternalServerError;
        return new ProblemActionResult(new ProblemDetails
        {
            Status = status,
            Type = ProblemTypes.ForStatus(status),
            Title = ProblemTypes.TitleFor(status),
            Detail = ProblemTypes.TitleFor(status),
        });
    }
}
