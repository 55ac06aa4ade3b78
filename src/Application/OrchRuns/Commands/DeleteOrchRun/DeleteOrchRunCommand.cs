using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;

/// <summary>Remove a run, its steps and its log; a worker executing it abandons it.</summary>
public sealed record DeleteOrchRunCommand(string Namespace, Guid Id) : ICommand, INamespaceScoped;
