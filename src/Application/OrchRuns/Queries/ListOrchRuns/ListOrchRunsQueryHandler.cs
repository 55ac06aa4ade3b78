using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

public sealed class ListOrchRunsQueryHandler : IQueryHandler<ListOrchRunsQuery, PageDto<OrchRunDto>>
{
    private readonly IOrchRunReadModel _runs;

    public ListOrchRunsQueryHandler(IOrchRunReadModel runs)
    {
        _runs = runs;
    }

    public async ValueTask<PageDto<OrchRunDto>> Handle(ListOrchRunsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        RunListFilterParser.TryParseStatuses(query.Status, out var statuses);
        RunListFilterParser.TryParseStart(query.StartDate, out var start);
        RunListFilterParser.TryParseEnd(query.EndDate, out var end);
        var filter = new OrchRunListFilter(
            query.Namespace,
            query.Offset ?? 0,
            query.PageSize ?? PagingRules.DefaultPageSize,
            statuses,
            start,
            end,
            query.OrchestratorId);

        var page = await _runs.ListAsync(filter, cancellationToken);
        return new PageDto<OrchRunDto>
        {
            Offset = filter.Offset,
            PageSize = filter.PageSize,
            Total = page.Total,
            List = page.Items,
        };
    }
}
