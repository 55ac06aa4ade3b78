using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Api.Contracts;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;
using OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;
using OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

namespace OrchRunService.Api.Controllers;

/// <summary>Orchestrator runs of one namespace (the seed's API).</summary>
[ApiController]
[Route("datasourcesvc/api/v1/orchrun")]
[Produces("application/json")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class OrchRunsController : ControllerBase
{
    private readonly ISender _sender;

    public OrchRunsController(ISender sender)
    {
        _sender = sender;
    }

    /// <summary>A page of the namespace's runs, newest first, with optional filters.</summary>
    /// <param name="nsfilter">Project namespace.</param>
    /// <param name="pageSize">Runs per page, 1-1000 (default 20).</param>
    /// <param name="offset">Runs to skip (default 0).</param>
    /// <param name="status">A status, or a comma-separated list of statuses.</param>
    /// <param name="startDate">Created at or after: ISO 8601 date or date-time (UTC unless an offset is given), or epoch milliseconds.</param>
    /// <param name="endDate">Created at or before; a date alone includes its whole day.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet(Name = "OrchRun_List")]
    [ProducesResponseType<OrchRunPageDto>(StatusCodes.Status200OK)]
    public async Task<OrchRunPageDto> List(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        [FromQuery(Name = "_status")] string? status,
        [FromQuery(Name = "startDate")] string? startDate,
        [FromQuery(Name = "endDate")] string? endDate,
        CancellationToken cancellationToken) =>
        await _sender.Send(new ListOrchRunsQuery(nsfilter, pageSize, offset, status, startDate, endDate), cancellationToken);

    /// <summary>One run with its steps, as an array of one (the seed's shape).</summary>
    [HttpGet("{id}", Name = "OrchRun_Get")]
    [ProducesResponseType<OrchRunDto[]>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<OrchRunDto[]> Get(string id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        [await _sender.Send(new GetOrchRunQuery(nsfilter, id), cancellationToken)];

    /// <summary>The run's log: a JSON string holding NDJSON lines, oldest first ("" before the first line).</summary>
    [HttpGet("logs/{id}", Name = "OrchRun_GetLogs")]
    [ProducesResponseType<string>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> GetLogs(string id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        new RunLogJsonStringResult(await _sender.Send(new GetOrchRunLogsQuery(nsfilter, id), cancellationToken));

    /// <summary>Queue a run of an orchestrator. Refused with 429 while the namespace already holds the maximum of QUEUED runs.</summary>
    [HttpPost(Name = "OrchRun_Create")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchRunDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<OrchRunDto> Create(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] CreateOrchRunRequest request,
        CancellationToken cancellationToken) =>
        await _sender.Send(
            new CreateOrchRunCommand(
                nsfilter,
                request.OrchestratorId,
                request.ActualParams?.Select(p => new ActualParamInput(p.SequenceTypeId, p.Params)).ToList()),
            cancellationToken);

    /// <summary>Ask a QUEUED or RUNNING run to stop (it becomes REQUEST_CANCEL, then CANCELLED). Answers an array of one.</summary>
    [HttpPut("{id}", Name = "OrchRun_Cancel")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchRunDto[]>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<OrchRunDto[]> Cancel(
        string id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] CancelOrchRunRequest request,
        CancellationToken cancellationToken) =>
        [await _sender.Send(new CancelOrchRunCommand(nsfilter, id, request.Id), cancellationToken)];

    /// <summary>Delete a run with its steps and log; a worker executing it abandons it.</summary>
    [HttpDelete("{id}", Name = "OrchRun_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Delete(string id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken)
    {
        await _sender.Send(new DeleteOrchRunCommand(nsfilter, id), cancellationToken);
        return NoContent();
    }
}
