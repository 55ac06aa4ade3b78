using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <param name="Namespace">The nsfilter.</param>
/// <param name="Id">The run.</param>
/// <param name="FromLine">Only the lines after this line number (resume after a dropped connection).</param>
/// <param name="Tail">Only the last N lines.</param>
/// <param name="Follow">Keep reading while the run executes, until its last line.</param>
/// <param name="FollowUntil">
/// When a follow must end at the latest: the caller's token expires then, and a stream must not
/// outlive the credentials that opened it (the client resumes with <c>fromLine</c> and a new token).
/// </param>
public sealed record GetOrchRunLogsQuery(string Namespace, Guid Id, long? FromLine = null, int? Tail = null, bool Follow = false, DateTimeOffset? FollowUntil = null)
    : IQuery<RunLog>, INamespaceScoped;
