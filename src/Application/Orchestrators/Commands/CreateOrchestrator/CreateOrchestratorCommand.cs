using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Commands.CreateOrchestrator;

public sealed record CreateOrchestratorCommand(
    string Namespace,
    string? Name,
    string? Description,
    string? UserType,
    IReadOnlyList<OrchestratorStepInput>? Steps) : ICommand<OrchestratorDto>, INamespaceScoped;
