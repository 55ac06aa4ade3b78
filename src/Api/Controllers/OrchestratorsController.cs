using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Api.Binding;
using OrchRunService.Api.Contracts;
using OrchRunService.Api.OpenApi;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;
using OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;
using OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;
using OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;
using OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Api.Controllers;

/// <summary>Orchestrator definitions of one namespace: what a run executes.</summary>
[Route("datasourcesvc/api/v1/orchestrator")]
public sealed class OrchestratorsController : ApiControllerBase
{
    private readonly ISender _sender;

    public OrchestratorsController(ISender sender)
    {
        _sender = sender;
    }

    /// <summary>A page of the namespace's orchestrators, newest first.</summary>
    [HttpGet(Name = "Orchestrator_List")]
    [ProducesResponseType<PageDto<OrchestratorDto>>(StatusCodes.Status200OK)]
    public async Task<PageDto<OrchestratorDto>> List(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        CancellationToken cancellationToken) =>
        await _sender.Send(new ListOrchestratorsQuery(nsfilter, pageSize, offset), cancellationToken);

    /// <summary>One orchestrator definition with its steps.</summary>
    [HttpGet("{id}", Name = "Orchestrator_Get")]
    [ProducesResponseType<OrchestratorDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<OrchestratorDto> Get(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        await _sender.Send(new GetOrchestratorQuery(nsfilter, id), cancellationToken);

    /// <summary>Define an orchestrator; the answer carries the ids given to it and its steps.</summary>
    [HttpPost(Name = "Orchestrator_Create")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchestratorDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<OrchestratorDto> Create(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] OrchestratorRequest request,
        CancellationToken cancellationToken) =>
        await _sender.Send(
            ToCreateCommand(nsfilter, request),
            cancellationToken);

    /// <summary>Replace a definition. Runs already created keep the definition they were created from.</summary>
    [HttpPut("{id}", Name = "Orchestrator_Update")]
    [Consumes("application/json")]
    [ProducesResponseType<OrchestratorDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<OrchestratorDto> Update(
        Guid id,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] OrchestratorRequest request,
        CancellationToken cancellationToken) =>
        await _sender.Send(
            ToUpdateCommand(nsfilter, id, request),
            cancellationToken);

    /// <summary>Delete a definition; its runs stay.</summary>
    [HttpDelete("{id}", Name = "Orchestrator_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Delete(Guid id, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken)
    {
        await _sender.Send(new DeleteOrchestratorCommand(nsfilter, id), cancellationToken);
        return NoContent();
    }

    private static CreateOrchestratorCommand ToCreateCommand(string nsfilter, OrchestratorRequest request)
    {
        var ids = new BodyIds();
        return ids.Checked(new CreateOrchestratorCommand(nsfilter, request.Name, request.Description, request.UserType, ToInputs(request, ids)));
    }

    private static UpdateOrchestratorCommand ToUpdateCommand(string nsfilter, Guid id, OrchestratorRequest request)
    {
        var ids = new BodyIds();
        return ids.Checked(new UpdateOrchestratorCommand(nsfilter, id, request.Id, request.Name, request.Description, request.UserType, ToInputs(request, ids)));
    }

    // A null step ("steps":[null]) becomes an empty one, which validation refuses per field.
    private static List<OrchestratorStepInput>? ToInputs(OrchestratorRequest request, BodyIds ids) =>
        request.Steps?.Select((s, i) => new OrchestratorStepInput(
                ids.Parse(s?.Id, $"steps[{i}].id"),
                s?.Name,
                ids.Parse(s?.ComponentId, $"steps[{i}]._compid"),
                s?.SequenceNo,
                s?.Params,
                s?.TimeoutSeconds,
                s?.Retries,
                s?.RetryDelayMs))
            .ToList();
}
