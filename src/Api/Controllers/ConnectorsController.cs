using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Application.Connectors;
using OrchRunService.Application.Connectors.Queries.ListConnectors;

namespace OrchRunService.Api.Controllers;

/// <summary>The connectors this service runs: what a step's <c>_compid</c> may name.</summary>
[ApiController]
[Route("datasourcesvc/api/v1/connector")]
[Produces("application/json")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
public sealed class ConnectorsController : ControllerBase
{
    private readonly ISender _sender;

    public ConnectorsController(ISender sender)
    {
        _sender = sender;
    }

    /// <summary>Every connector with its parameters (name, type, default, limits), by name.</summary>
    /// <param name="nsfilter">Project namespace (the list is the same in each; the token must hold it).</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet(Name = "Connector_List")]
    [ProducesResponseType<ConnectorDto[]>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<ConnectorDto>> List([FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        await _sender.Send(new ListConnectorsQuery(nsfilter), cancellationToken);
}
