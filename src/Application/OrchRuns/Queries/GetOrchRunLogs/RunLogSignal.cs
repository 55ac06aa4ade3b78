using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// The in-process <see cref="IRunLogSignal"/>: one completion per run that has waiters, removed
/// with its last waiter or its signal, so the table holds no more entries than open follows.
/// </summary>
public sealed class RunLogSignal : IRunLogSignal
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, Waiting> _waiting = [];

    public void LinesWritten(Guid runId)
    {
        Waiting? waiting;
        lock (_gate)
        {
            if (!_waiting.Remove(runId, out waiting))
            {
                return;
            }
        }

        waiting.Signal.TrySetResult();
    }

    public async Task WaitAsync(Guid runId, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Waiting waiting;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(runId, out waiting!))
            {
                waiting = new Waiting();
                _waiting[runId] = waiting;
            }

            waiting.Waiters++;
        }

        try
        {
            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, clock, stopDelay.Token);
            await Task.WhenAny(waiting.Signal.Task, delay);
            await stopDelay.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            lock (_gate)
            {
                if (--waiting.Waiters == 0 && _waiting.TryGetValue(runId, out var current) && current == waiting)
                {
                    _waiting.Remove(runId);
                }
            }
        }
    }

    /// <summary>How many runs have waiters now (for tests).</summary>
    public int WaitingRuns
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    private sealed class Waiting
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiters { get; set; }
    }
}
