using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Api.Binding;
using OrchRunService.Api.Contracts;
using OrchRunService.Api.OpenApi;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Schedules;
using OrchRunService.Application.Schedules.Commands.CreateSchedule;
using OrchRunService.Application.Schedules.Commands.DeleteSchedule;
using OrchRunService.Application.Schedules.Commands.UpdateSchedule;
using OrchRunService.Application.Schedules.Queries.GetSchedule;
using OrchRunService.Application.Schedules.Queries.GetScheduleHistory;
using OrchRunService.Application.Schedules.Queries.ListSchedules;

namespace OrchRunService.Api.Controllers;

/// <summary>Schedules of one namespace: runs of an orchestrator created at every fire time of a cron expression.</summary>
[Route("datasourcesvc/api/v1/schedule")]
public sealed class SchedulesController : ApiControllerBase
{
    private readonly ISender _sender;

    public SchedulesController(ISender sender)
    {
        _sender = sender;
    }

    /// <summary>A page of the namespace's schedules, newest first.</summary>
    [HttpGet(Name = "Schedule_List")]
    [ProducesResponseType<PageDto<ScheduleDto>>(StatusCodes.Status200OK)]
    public async Task<PageDto<ScheduleDto>> List(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        CancellationToken cancellationToken) =>
        await _sender.Send(new ListSchedulesQuery(nsfilter, pageSize, offset), cancellationToken);

    /// <summary>One schedule with its next five fire times.</summary>
    [HttpGet("{id}", Name = "Schedule_Get")]
    [ProducesResponseType<ScheduleDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<ScheduleDto> Get(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        await _sender.Send(new GetScheduleQuery(nsfilter, id), cancellationToken);

    /// <summary>A page of the schedule's slots, latest first: the run each created, or why it did not.</summary>
    [HttpGet("{id}/history", Name = "Schedule_History")]
    [ProducesResponseType<PageDto<ScheduleFireDto>>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<PageDto<ScheduleFireDto>> History(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        CancellationToken cancellationToken) =>
        await _sender.Send(new GetScheduleHistoryQuery(nsfilter, id, pageSize, offset), cancellationToken);

    /// <summary>Create a schedule; it fires from the first slot after now.</summary>
    [HttpPost(Name = "Schedule_Create")]
    [Consumes("application/json")]
    [ProducesResponseType<ScheduleDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ScheduleDto> Create(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] ScheduleRequest request,
        CancellationToken cancellationToken) =>
        await _sender.Send(ToCreateCommand(nsfilter, request), cancellationToken);

    /// <summary>Replace a schedule's definition; <c>_enabled: false</c> pauses it at once, <c>true</c> resumes it from the next slot.</summary>
    [HttpPut("{id}", Name = "Schedule_Update")]
    [Consumes("application/json")]
    [ProducesResponseType<ScheduleDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ScheduleDto> Update(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] ScheduleRequest request,
        CancellationToken cancellationToken) =>
        await _sender.Send(ToUpdateCommand(nsfilter, id, request), cancellationToken);

    /// <summary>Delete a schedule and its history; no slot fires after this; the runs it created stay.</summary>
    [HttpDelete("{id}", Name = "Schedule_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Delete(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken)
    {
        await _sender.Send(new DeleteScheduleCommand(nsfilter, id), cancellationToken);
        return NoContent();
    }

    private static CreateScheduleCommand ToCreateCommand(string nsfilter, ScheduleRequest request)
    {
        var ids = new BodyIds();
        return ids.Checked(new CreateScheduleCommand(nsfilter, ToInput(request, ids)));
    }

    private static UpdateScheduleCommand ToUpdateCommand(string nsfilter, Guid id, ScheduleRequest request)
    {
        var ids = new BodyIds();
        return ids.Checked(new UpdateScheduleCommand(nsfilter, id, request.Id, ToInput(request, ids)));
    }

    // A null entry ("_actualparams":[null]) becomes an empty one, which validation refuses per field.
    private static ScheduleDefinitionInput ToInput(ScheduleRequest request, BodyIds ids) => new(
        ids.Parse(request.OrchestratorId, "orchestratorId"),
        request.Cron,
        request.TimeZone,
        request.ActualParams?.Select(p => new ScheduleParamInput(p?.SequenceTypeId, p?.Params)).ToList(),
        request.Enabled,
        request.Overlap,
        request.Catchup,
        request.StartAt,
        request.EndAt);
}
