using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed record GetOrchRunLogsQuery(string Namespace, string? Id) : IQuery<RunLog>, INamespaceScoped;
