using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

public sealed class GetOrchRunQueryHandler : IQueryHandler<GetOrchRunQuery, OrchRunDto>
{
    private readonly IOrchRunReadModel _runs;

    public GetOrchRunQueryHandler(IOrchRunReadModel runs)
    {
        _runs = runs;
    }

    public async ValueTask<OrchRunDto> Handle(GetOrchRunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var id = query.Id;
        return await _runs.FindAsync(id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator run", id);
    }
}
