using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Connectors;

/// <summary>Every <see cref="IConnector"/> registered in DI, by component id.</summary>
internal sealed class ConnectorCatalog : IConnectorCatalog
{
    private readonly Dictionary<Guid, IConnector> _byComponent;

    public ConnectorCatalog(IEnumerable<IConnector> connectors)
    {
        _byComponent = connectors.ToDictionary(c => c.ComponentId);
        All = _byComponent.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<IConnector> All { get; }

    public IConnector? Find(Guid componentId) => _byComponent.GetValueOrDefault(componentId);
}
