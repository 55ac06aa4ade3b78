using System.Runtime.CompilerServices;
using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed class GetOrchRunLogsQueryHandler : IQueryHandler<GetOrchRunLogsQuery, RunLog>
{
    private readonly IOrchRunRepository _runs;
    private readonly IRunLogReader _logs;
    private readonly TimeProvider _clock;
    private readonly IRunLogSignal _signal;
    private readonly LogFollowGate _follows;
    private readonly ICurrentUser _user;

    public GetOrchRunLogsQueryHandler(IOrchRunRepository runs, IRunLogReader logs, TimeProvider clock, IRunLogSignal signal, LogFollowGate follows, ICurrentUser user)
    {
        _runs = runs;
        _logs = logs;
        _clock = clock;
        _signal = signal;
        _follows = follows;
        _user = user;
    }

    public async ValueTask<RunLog> Handle(GetOrchRunLogsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var id = query.Id;
        _ = await _runs.FindAsync(id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator run", id);
        var lease = query.Follow ? _follows.Enter(_user.UserId) : null;
        return new RunLog(id, ReadAsync(id, query, cancellationToken), lease);
    }

    private async IAsyncEnumerable<RunLogLine> ReadAsync(Guid runId, GetOrchRunLogsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = query.FromLine ?? 0;
        if (query.Tail is { } tail)
        {
            foreach (var line in await _logs.ReadTailAsync(runId, tail, cancellationToken))
            {
                last = line.Sequence;
                yield return line;
                if (line.IsEnd)
                {
                    yield break;
                }
            }
        }

        var pollInterval = LogFollowLimits.MinPollInterval;
        while (true)
        {
            var ended = false;
            var read = false;
            await foreach (var line in _logs.ReadAsync(runId, last, cancellationToken))
            {
                last = line.Sequence;
                ended |= line.IsEnd;
                read = true;
                yield return line;
            }

            if (!query.Follow || ended)
            {
                yield break;
            }

            // Deleted, or finished without an end line (nothing more will come): stop following.
            var status = await _logs.GetRunStatusAsync(runId, cancellationToken);
            if (status is null || (status.Value.IsTerminal() && !await HasLinesAfterAsync(runId, last, cancellationToken)))
            {
                yield break;
            }

            // Ends no later than the token that opened it; the client resumes with fromLine.
            var now = _clock.GetUtcNow();
            if (query.FollowUntil is { } until && now >= until)
            {
                yield break;
            }

            // Woken at once by this process's log writer; lines from another process are found by
            // a poll that backs off while nothing comes.
            pollInterval = read ? LogFollowLimits.MinPollInterval : TimeSpan.FromTicks(Math.Min(pollInterval.Ticks * 2, LogFollowLimits.MaxPollInterval.Ticks));
            var wait = query.FollowUntil is { } end && end - now < pollInterval ? end - now : pollInterval;
            await _signal.WaitAsync(runId, wait, _clock, cancellationToken);
        }
    }

    private async Task<bool> HasLinesAfterAsync(Guid runId, long last, CancellationToken cancellationToken)
    {
        await foreach (var _ in _logs.ReadAsync(runId, last, cancellationToken))
        {
            return true;
        }

        return false;
    }
}
