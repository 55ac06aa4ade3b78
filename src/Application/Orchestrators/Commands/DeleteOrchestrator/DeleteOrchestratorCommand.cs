using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;

/// <summary>Remove a definition; its runs keep their snapshot and stay.</summary>
public sealed record DeleteOrchestratorCommand(string Namespace, Guid Id) : ICommand, INamespaceScoped;
