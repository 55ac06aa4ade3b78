using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;

public sealed class ListOrchestratorsQueryHandler : IQueryHandler<ListOrchestratorsQuery, PageDto<OrchestratorDto>>
{
    private readonly IOrchestratorRepository _orchestrators;

    public ListOrchestratorsQueryHandler(IOrchestratorRepository orchestrators)
    {
        _orchestrators = orchestrators;
    }

    public async ValueTask<PageDto<OrchestratorDto>> Handle(ListOrchestratorsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = query.Offset ?? 0;
        var pageSize = query.PageSize ?? PagingRules.DefaultPageSize;
        var page = await _orchestrators.ListAsync(query.Namespace, offset, pageSize, cancellationToken);
        return new PageDto<OrchestratorDto>
        {
            Offset = offset,
            PageSize = pageSize,
            Total = page.Total,
            List = page.Items.Select(o => o.ToDto()).ToList(),
        };
    }
}
