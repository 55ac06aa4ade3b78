using Mediator;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Connectors.Queries.ListConnectors;

public sealed class ListConnectorsQueryHandler : IQueryHandler<ListConnectorsQuery, IReadOnlyList<ConnectorDto>>
{
    private readonly IConnectorCatalog _connectors;

    public ListConnectorsQueryHandler(IConnectorCatalog connectors)
    {
        _connectors = connectors;
    }

    public ValueTask<IReadOnlyList<ConnectorDto>> Handle(ListConnectorsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<ConnectorDto> list = _connectors.All
            .Select(c => new ConnectorDto
            {
                Id = c.ComponentId,
                Name = c.Name,
                Parameters = c.Parameters.Select(p => new ConnectorParameterDto
                {
                    Name = p.Name,
                    Type = p.Type,
                    Default = p.Default,
                    Minimum = p.Minimum,
                    Maximum = p.Maximum,
                    Required = p.Required,
                    Description = p.Description,
                }).ToList(),
            })
            .ToList();
        return ValueTask.FromResult(list);
    }
}
