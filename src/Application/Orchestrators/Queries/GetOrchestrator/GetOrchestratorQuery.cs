using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;

public sealed record GetOrchestratorQuery(string Namespace, string? Id) : IQuery<OrchestratorDto>, INamespaceScoped;
