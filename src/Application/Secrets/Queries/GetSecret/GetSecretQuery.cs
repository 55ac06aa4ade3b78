using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Secrets.Queries.GetSecret;

public sealed record GetSecretQuery(string Namespace, string Name) : IQuery<SecretDto>, INamespaceScoped;
