using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;

public sealed record ListOrchestratorsQuery(string Namespace, int? PageSize, int? Offset) : IQuery<OrchestratorPageDto>, INamespaceScoped;
