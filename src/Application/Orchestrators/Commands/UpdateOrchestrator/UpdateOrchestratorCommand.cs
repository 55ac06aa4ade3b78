using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Commands.UpdateOrchestrator;

/// <summary>Replace a definition. Runs already created keep their snapshot.</summary>
public sealed record UpdateOrchestratorCommand(
    string Namespace,
    Guid Id,
    string? BodyId,
    string? Name,
    string? Description,
    string? UserType,
    IReadOnlyList<OrchestratorStepInput>? Steps) : ICommand<OrchestratorDto>, INamespaceScoped;
