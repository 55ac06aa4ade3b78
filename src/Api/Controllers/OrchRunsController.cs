using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Api.Binding;
using OrchRunService.Api.Contracts;
using OrchRunService.Api.OpenApi;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;
using OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;
using OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;
using OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Api.Controllers;

/// <summary>Orchestrator runs of one namespace (the seed's API).</summary>
[Route("datasourcesvc/api/v1/orchrun")]
public sealed class OrchRunsController : ApiControllerBase
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
    /// <param name="orchestratorId">Only the runs of this orchestrator.</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet(Name = "OrchRun_List")]
    [ProducesResponseType<PageDto<OrchRunDto>>(StatusCodes.Status200OK)]
    public async Task<PageDto<OrchRunDto>> List(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        [FromQuery(Name = "_status")] string? status,
        [FromQuery(Name = "startDate")] string? startDate,
        [FromQuery(Name = "endDate")] string? endDate,
        [FromQuery(Name = "orchestratorId")] Guid? orchestratorId,
        CancellationToken cancellationToken) =>
        await _sender.Send(new ListOrchRunsQuery(nsfilter, pageSize, offset, status, startDate, endDate, orchestratorId), cancellationToken);

    /// <summary>One run with its steps, as an array of one (the seed's shape).</summary>
    [HttpGet("{id}", Name = "OrchRun_Get")]
    [ProducesResponseType<OrchRunDto[]>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<OrchRunDto[]> Get(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        [await _sender.Send(new GetOrchRunQuery(nsfilter, id), cancellationToken)];

    /// <summary>
    /// The run's log, oldest line first. By default a JSON string holding NDJSON lines ("" before
    /// the first line), as in the seed; with <c>Accept: application/x-ndjson</c> plain NDJSON, with
    /// <c>Accept: text/event-stream</c> server-sent events (id = line number; <c>Last-Event-ID</c>
    /// resumes). <c>follow=true</c> keeps the answer open while the run executes and ends after its
    /// last line (<c>"end":true</c>), or when the caller's token expires (resume with <c>fromLine</c>
    /// and a fresh token); a silent follow sends a keep-alive at least every 15 s (an SSE comment, a
    /// blank NDJSON line). One follow more than <c>Logs:MaxFollowsPerUser</c> or <c>Logs:MaxFollows</c>
    /// allows is 429 with <c>Retry-After</c>.
    /// </summary>
    /// <param name="id">The run's id.</param>
    /// <param name="nsfilter">Project namespace.</param>
    /// <param name="follow">Stream new lines until the run's log ends.</param>
    /// <param name="fromLine">Only lines after this line number (to resume without gaps or repeats).</param>
    /// <param name="tail">Only the last N lines (1-100000).</param>
    /// <param name="cancellationToken">Aborted when the client goes away.</param>
    [HttpGet("logs/{id}", Name = "OrchRun_GetLogs")]
    [ProducesResponseType<string>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> GetLogs(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "follow")] bool? follow,
        [FromQuery(Name = "fromLine")] long? fromLine,
        [FromQuery(Name = "tail")] int? tail,
        CancellationToken cancellationToken)
    {
        var format = LogFormatOf(Request.Headers.Accept.ToString());
        if (format == RunLogFormat.EventStream && fromLine is null && tail is null
            && long.TryParse(Request.Headers["Last-Event-ID"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lastEventId))
        {
            fromLine = lastEventId;
        }

        var log = await _sender.Send(new GetOrchRunLogsQuery(nsfilter, id, fromLine, tail, follow == true, TokenExpiry()), cancellationToken);

        // The follow's place among the open follows is given back when the request ends, however it ends.
        HttpContext.Response.RegisterForDispose(log);
        return new RunLogResult(log, format, follow == true);
    }

    /// <summary>
    /// Queue a run of an orchestrator. Refused with 429 while the namespace already holds the
    /// maximum of QUEUED runs. With an <c>Idempotency-Key</c> header, a retry with the same key and
    /// body within 24 h answers the same run; the same key with another body is 422.
    /// </summary>
    [HttpPost(Name = "OrchRun_Create")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchRunDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    [ProblemResponse(StatusCodes.Status422UnprocessableEntity)]
    public async Task<OrchRunDto> Create(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] CreateOrchRunRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken) =>
        await _sender.Send(ToCommand(nsfilter, request, idempotencyKey), cancellationToken);

    private static CreateOrchRunCommand ToCommand(string nsfilter, CreateOrchRunRequest request, string? idempotencyKey)
    {
        var ids = new BodyIds();
        return ids.Checked(new CreateOrchRunCommand(
            nsfilter,
            ids.Parse(request.OrchestratorId, "orchestratorId"),
            // A null entry ("_actualparams":[null]) becomes an empty one, which validation refuses per field.
            request.ActualParams?.Select(p => new ActualParamInput(p?.SequenceTypeId, p?.Params)).ToList(),
            string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey));
    }

    /// <summary>Ask a QUEUED or RUNNING run to stop (it becomes REQUEST_CANCEL, then CANCELLED). Answers an array of one.</summary>
    [HttpPut("{id}", Name = "OrchRun_Cancel")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchRunDto[]>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<OrchRunDto[]> Cancel(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] CancelOrchRunRequest request,
        CancellationToken cancellationToken) =>
        [await _sender.Send(new CancelOrchRunCommand(nsfilter, id, request.Id), cancellationToken)];

    /// <summary>
    /// A new run from a FAILED or CANCELLED run's snapshot and parameters; its <c>_rerunof</c> names
    /// the source. <c>fromStep=failed</c> (default) keeps the steps that completed and starts at the
    /// first that did not; <c>fromStep=first</c> runs every step again. Any other run is 409.
    /// </summary>
    [HttpPost("{id}/rerun", Name = "OrchRun_Rerun")]
    [ProducesResponseType<OrchRunDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    public async Task<OrchRunDto> Rerun(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "fromStep")] string? fromStep,
        CancellationToken cancellationToken) =>
        await _sender.Send(new RerunOrchRunCommand(nsfilter, id, fromStep), cancellationToken);

    /// <summary>Delete a run with its steps and log; a worker executing it abandons it.</summary>
    [HttpDelete("{id}", Name = "OrchRun_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Delete(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken)
    {
        await _sender.Send(new DeleteOrchRunCommand(nsfilter, id), cancellationToken);
        return NoContent();
    }

    /// <summary>The bearer token's <c>exp</c>: a follow must not outlive the credentials that opened it.</summary>
    private DateTimeOffset? TokenExpiry() =>
        long.TryParse(User.FindFirst("exp")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static RunLogFormat LogFormatOf(string accept) =>
        accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) ? RunLogFormat.EventStream
        : accept.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ? RunLogFormat.Ndjson
        : RunLogFormat.JsonString;
}
