using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Secrets.Queries.ListSecrets;

public sealed class ListSecretsQueryHandler : IQueryHandler<ListSecretsQuery, PageDto<SecretDto>>
{
    private readonly ISecretRepository _secrets;

    public ListSecretsQueryHandler(ISecretRepository secrets)
    {
        _secrets = secrets;
    }

    public async ValueTask<PageDto<SecretDto>> Handle(ListSecretsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = query.Offset ?? 0;
        var pageSize = query.PageSize ?? PagingRules.DefaultPageSize;
        var page = await _secrets.ListAsync(query.Namespace, offset, pageSize, cancellationToken);
        return new PageDto<SecretDto>
        {
            Offset = offset,
            PageSize = pageSize,
            Total = page.Total,
            List = page.Items.Select(SecretDto.From).ToList(),
        };
    }
}
