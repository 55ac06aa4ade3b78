using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;

public sealed class GetOrchestratorQueryHandler : IQueryHandler<GetOrchestratorQuery, OrchestratorDto>
{
    private readonly IOrchestratorRepository _orchestrators;

    public GetOrchestratorQueryHandler(IOrchestratorRepository orchestrators)
    {
        _orchestrators = orchestrators;
    }

    public async ValueTask<OrchestratorDto> Handle(GetOrchestratorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var id = query.Id;
        var orchestrator = await _orchestrators.FindAsync(id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator", id);
        return orchestrator.ToDto();
    }
}
