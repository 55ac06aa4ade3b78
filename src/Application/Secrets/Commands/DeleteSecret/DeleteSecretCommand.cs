using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Secrets.Commands.DeleteSecret;

/// <summary>Remove a secret; steps that refer to it fail from then on, saying it does not exist.</summary>
public sealed record DeleteSecretCommand(string Namespace, string Name) : ICommand, INamespaceScoped;
