using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

public sealed record GetOrchRunQuery(string Namespace, Guid Id) : IQuery<OrchRunDto>, INamespaceScoped;
