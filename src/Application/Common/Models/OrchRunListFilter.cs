using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Common.Models;

/// <summary>
/// What the run list asks for. Both date bounds are inclusive and apply to the creation time;
/// an empty <see cref="Statuses"/> means every status, a null <see cref="OrchestratorId"/> every orchestrator.
/// </summary>
public sealed record OrchRunListFilter(
    string Namespace,
    int Offset,
    int PageSize,
    IReadOnlyCollection<OrchRunStatus> Statuses,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedUntil,
    Guid? OrchestratorId = null)
{
    /// <summary>
    /// The last tick <see cref="CreatedUntil"/> admits: _createdat shows whole milliseconds while
    /// the creation time keeps ticks, so an end bound admits its whole millisecond, and
    /// endDate = a run's own _createdat lists that run.
    /// </summary>
    public DateTimeOffset? CreatedUntilLastTick => CreatedUntil is { } until
        ? new DateTimeOffset(until.UtcTicks - (until.UtcTicks % TimeSpan.TicksPerMillisecond) + TimeSpan.TicksPerMillisecond - 1, TimeSpan.Zero)
        : null;
}
