using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Secrets.Queries.ListSecrets;

public sealed record ListSecretsQuery(string Namespace, int? PageSize, int? Offset) : IQuery<PageDto<SecretDto>>, INamespaceScoped;
