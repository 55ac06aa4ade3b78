using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;

/// <summary>The seed's PUT: ask a queued or running run to stop. <see cref="BodyId"/> must repeat the path id.</summary>
public sealed record CancelOrchRunCommand(string Namespace, Guid Id, string? BodyId) : ICommand<OrchRunDto>, INamespaceScoped;
