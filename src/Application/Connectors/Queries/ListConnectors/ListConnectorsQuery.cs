using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Connectors.Queries.ListConnectors;

/// <summary>The connectors this service runs, with their parameters (the same in every namespace).</summary>
public sealed record ListConnectorsQuery(string Namespace) : IQuery<IReadOnlyList<ConnectorDto>>, INamespaceScoped;
