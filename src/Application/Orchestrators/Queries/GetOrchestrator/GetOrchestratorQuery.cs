using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;

public sealed record GetOrchestratorQuery(string Namespace, Guid Id) : IQuery<OrchestratorDto>, INamespaceScoped;
