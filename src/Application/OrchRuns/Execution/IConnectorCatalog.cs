namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>The connectors this node can run, by component id.</summary>
public interface IConnectorCatalog
{
    IConnector? Find(Guid componentId);

    /// <summary>Every connector, by name.</summary>
    IReadOnlyList<IConnector> All { get; }
}
