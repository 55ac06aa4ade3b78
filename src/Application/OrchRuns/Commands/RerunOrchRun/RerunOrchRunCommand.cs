using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;

/// <summary>
/// A new run from a FAILED or CANCELLED run's snapshot and parameters. <see cref="FromStep"/>:
/// <c>failed</c> (default) keeps the completed steps' results, <c>first</c> runs everything again.
/// </summary>
public sealed record RerunOrchRunCommand(string Namespace, Guid Id, string? FromStep) : ICommand<OrchRunDto>, INamespaceScoped;
