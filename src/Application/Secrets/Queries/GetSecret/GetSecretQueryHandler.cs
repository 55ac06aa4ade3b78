using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Secrets.Queries.GetSecret;

public sealed class GetSecretQueryHandler : IQueryHandler<GetSecretQuery, SecretDto>
{
    private readonly ISecretRepository _secrets;

    public GetSecretQueryHandler(ISecretRepository secrets)
    {
        _secrets = secrets;
    }

    public async ValueTask<SecretDto> Handle(GetSecretQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var secret = await _secrets.FindAsync(query.Namespace, query.Name, cancellationToken)
            ?? throw new NotFoundException("Secret", query.Name);
        return SecretDto.From(secret);
    }
}
