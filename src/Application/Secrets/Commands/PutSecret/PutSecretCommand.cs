using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Secrets.Commands.PutSecret;

/// <summary>Create the namespace's secret <paramref name="Name"/>, or replace its value.</summary>
public sealed record PutSecretCommand(string Namespace, string Name, string? Value) : ICommand<PutSecretResult>, INamespaceScoped
{
    // The value never appears in a log line or an exception that prints the command.
    public override string ToString() => $"PutSecretCommand {{ Namespace = {Namespace}, Name = {Name} }}";
}
