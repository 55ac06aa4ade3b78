using System.Runtime.CompilerServices;
using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed class GetOrchRunLogsQueryHandler : IQueryHandler<GetOrchRunLogsQuery, RunLog>
{
    /// <summary>How often a follower looks for new lines.</summary>
    public static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IOrchRunRepository _runs;
    private readonly IRunLogReader _logs;
    private readonly TimeProvider _clock;

    public GetOrchRunLogsQueryHandler(IOrchRunRepository runs, IRunLogReader logs, TimeProvider clock)
    {
        _runs = runs;
        _logs = logs;
        _clock = clock;
    }

    public async ValueTask<RunLog> Handle(GetOrchRunLogsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var id = query.Id;
        _ = await _runs.FindAsync(id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator run", id);
        return new RunLog(id, ReadAsync(id, query, cancellationToken));
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

        while (true)
        {
            var ended = false;
            await foreach (var line in _logs.ReadAsync(runId, last, cancellationToken))
            {
                last = line.Sequence;
                ended |= line.IsEnd;
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

            await Task.Delay(FollowPollInterval, _clock, cancellationToken);
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
