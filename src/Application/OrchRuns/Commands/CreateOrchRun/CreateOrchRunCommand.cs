using System.Text.Json;
using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;

/// <summary>Queue a run of an orchestrator of the namespace, with per-step actual parameters.</summary>
/// <param name="Namespace">The nsfilter.</param>
/// <param name="OrchestratorId">The orchestrator to run.</param>
/// <param name="ActualParams">Per-step parameters.</param>
/// <param name="IdempotencyKey">
/// The Idempotency-Key header: the same key with the same body within 24 h answers the run the
/// first create made; with another body it is refused (422).
/// </param>
public sealed record CreateOrchRunCommand(
    string Namespace,
    Guid? OrchestratorId,
    IReadOnlyList<ActualParamInput>? ActualParams,
    string? IdempotencyKey = null) : ICommand<OrchRunDto>, INamespaceScoped;

/// <summary>One entry of <c>_actualparams</c>: the orchestrator step it is for and its parameters.</summary>
public sealed record ActualParamInput(string? SequenceTypeId, JsonElement? Params);
