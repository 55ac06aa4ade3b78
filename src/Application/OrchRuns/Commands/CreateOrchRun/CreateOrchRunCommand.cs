using System.Text.Json;
using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;

/// <summary>Queue a run of an orchestrator of the namespace, with per-step actual parameters.</summary>
public sealed record CreateOrchRunCommand(
    string Namespace,
    string? OrchestratorId,
    IReadOnlyList<ActualParamInput>? ActualParams) : ICommand<OrchRunDto>, INamespaceScoped;

/// <summary>One entry of <c>_actualparams</c>: the orchestrator step it is for and its parameters.</summary>
public sealed record ActualParamInput(string? SequenceTypeId, JsonElement? Params);
