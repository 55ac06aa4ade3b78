using Microsoft.AspNetCore.Mvc;
using OrchRunService.Api.OpenApi;

namespace OrchRunService.Api.Controllers;

/// <summary>
/// What every controller shares: JSON answers, and the problem answers any action can give
/// (invalid input, no or a bad token, a foreign namespace, rate or queue limits, a fault, a busy database).
/// </summary>
[ApiController]
[Produces("application/json")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
[ProblemResponse(StatusCodes.Status401Unauthorized)]
[ProblemResponse(StatusCodes.Status403Forbidden)]
[ProblemResponse(StatusCodes.Status429TooManyRequests)]
[ProblemResponse(StatusCodes.Status500InternalServerError)]
[ProblemResponse(StatusCodes.Status503ServiceUnavailable)]
public abstract class ApiControllerBase : ControllerBase
{
}
