using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A run's log lines waiting to be persisted, numbered as they come. Connectors write from
/// their own flow, so appends are locked; the executor takes the batch when it saves.
/// </summary>
public sealed class RunLogBuffer : IRunLogWriter
{
    private readonly object _gate = new();
    private readonly List<RunLogLine> _pending = [];
    private readonly Guid _runId;
    private readonly TimeProvider _clock;
    private long _sequence;

    public RunLogBuffer(Guid runId, long lastSequence, TimeProvider clock)
    {
        _runId = runId;
        _sequence = lastSequence;
        _clock = clock;
    }

    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    public void Info(string message) => Append(RunLogLevel.Info, message, isEnd: false);

    public void Warn(string message) => Append(RunLogLevel.Warn, message, isEnd: false);

    public void Error(string message) => Append(RunLogLevel.Error, message, isEnd: false);

    public void Debug(string message) => Append(RunLogLevel.Debug, message, isEnd: false);

    /// <summary>The last line of a finished run.</summary>
    public void End(string message) => Append(RunLogLevel.Info, message, isEnd: true);

    /// <summary>Takes the pending lines; put them back with <see cref="Restore"/> if saving them fails.</summary>
    public IReadOnlyList<RunLogLine> Take()
    {
        lock (_gate)
        {
            var batch = _pending.ToList();
            _pending.Clear();
            return batch;
        }
    }

    /// <summary>Puts back a batch that could not be saved, ahead of anything appended since.</summary>
    public void Restore(IReadOnlyList<RunLogLine> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            _pending.InsertRange(0, batch);
        }
    }

    /// <summary>
    /// Forgets every line numbered after <paramref name="sequence"/>: closing lines written for an
    /// outcome that did not happen (the run changed under us) are replaced by the real ones.
    /// </summary>
    public void RewindTo(long sequence)
    {
        lock (_gate)
        {
            _pending.RemoveAll(l => l.Sequence > sequence);
            _sequence = sequence;
        }
    }

    /// <summary>The number of the last line appended.</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    private void Append(RunLogLevel level, string message, bool isEnd)
    {
        lock (_gate)
        {
            _pending.Add(new RunLogLine(_runId, ++_sequence, _clock.GetUtcNow(), level, message, isEnd));
        }
    }
}
