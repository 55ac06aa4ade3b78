using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A run's log lines waiting to be persisted, numbered as they come. Connectors write from
/// their own flow, so appends are locked; the executor takes the batch when it saves, and while
/// a step runs a timer on the buffer's <see cref="TimeProvider"/> writes the pending lines every
/// flush interval (<see cref="StartFlushing"/>).
/// </summary>
public sealed class RunLogBuffer : IRunLogWriter
{
    private readonly object _gate = new();
    private readonly List<RunLogLine> _pending = [];
    private readonly Guid _runId;
    private readonly TimeProvider _clock;

    // One flush at a time: a timer tick and an explicit flush never write the same lines twice,
    // and stopping waits for the flush under way (it shares the run's database context).
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Func<IReadOnlyList<RunLogLine>, Task>? _write;
    private Action _onLost = () => { };
    private ITimer? _timer;
    private long _sequence;
    private RunLogLimits _limits = RunLogLimits.Default;
    private Action _onLineLimitReached = () => { };
    private bool _lineLimitReached;

    public RunLogBuffer(Guid runId, long lastSequence, TimeProvider clock)
    {
        _runId = runId;
        _sequence = lastSequence;
        _clock = clock;
        ConnectorLines = new ConnectorLog(this);
    }

    /// <summary>
    /// The writer a connector gets: its lines count against <see cref="RunLogLimits.MaxLinesPerRun"/>.
    /// The service's own lines (a step's start, failure and the closing lines, a few per step) are
    /// always kept, so an ended log says why it ended.
    /// </summary>
    public IRunLogWriter ConnectorLines { get; }

    /// <summary>A connector's line found the log full: the step must fail.</summary>
    public bool LineLimitReached
    {
        get
        {
            lock (_gate)
            {
                return _lineLimitReached;
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="limits"/> to the lines appended from now on;
    /// <paramref name="onLineLimitReached"/> is called once, outside the buffer's lock, when a
    /// connector's line finds the log full.
    /// </summary>
    public void Bound(RunLogLimits limits, Action onLineLimitReached)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(onLineLimitReached);
        lock (_gate)
        {
            _limits = limits;
            _onLineLimitReached = onLineLimitReached;
        }
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
            _pending.Add(new RunLogLine(_runId, ++_sequence, _clock.GetUtcNow(), level, _limits.Truncate(message), isEnd));
        }
    }

    private void AppendFromConnector(RunLogLevel level, string message)
    {
        Action? reached = null;
        lock (_gate)
        {
            if (_lineLimitReached)
            {
                return;
            }

            if (_sequence + 1 >= _limits.MaxLinesPerRun)
            {
                // The limit-th line says why the log stops here instead of what the connector wrote.
                _lineLimitReached = true;
                reached = _onLineLimitReached;
                _pending.Add(new RunLogLine(_runId, ++_sequence, _clock.GetUtcNow(), RunLogLevel.Error, RunLogMessages.LineLimitReached(_limits.MaxLinesPerRun), false));
            }
            else
            {
                _pending.Add(new RunLogLine(_runId, ++_sequence, _clock.GetUtcNow(), level, _limits.Truncate(message ?? string.Empty), false));
            }
        }

        reached?.Invoke();
    }

    /// <summary>
    /// Writes the pending lines through <paramref name="write"/> every <paramref name="interval"/>
    /// until <see cref="StopFlushingAsync"/>. A write that finds the run lost calls
    /// <paramref name="onLost"/>; any other failed write puts its lines back for the next flush.
    /// </summary>
    public void StartFlushing(TimeSpan interval, Func<IReadOnlyList<RunLogLine>, Task> write, Action onLost)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(onLost);
        if (_timer is not null)
        {
            throw new InvalidOperationException("The log is already being flushed.");
        }

        _write = write;
        _onLost = onLost;
        _timer = _clock.CreateTimer(static state => ((RunLogBuffer)state!).OnTick(), this, interval, interval);
    }

    /// <summary>Stops the timer and waits for a flush under way; the pending lines stay for the next save.</summary>
    public async Task StopFlushingAsync()
    {
        if (_timer is null)
        {
            return;
        }

        // A disposed timer starts no tick; a tick's flush under way holds _flushing.
        await _timer.DisposeAsync();
        _timer = null;
        await _flushing.WaitAsync(CancellationToken.None);
        _flushing.Release();
    }

    /// <summary>
    /// Writes the pending lines now (the timer's writer). <see cref="RunLostException"/>
    /// propagates; any other failure puts the lines back, to be written with the next flush or
    /// save, so none goes missing.
    /// </summary>
    public async Task FlushAsync()
    {
        await _flushing.WaitAsync(CancellationToken.None);
        try
        {
            await WritePendingAsync();
        }
        finally
        {
            _flushing.Release();
        }
    }

    private void OnTick()
    {
        if (!HasPending || !_flushing.Wait(0, CancellationToken.None))
        {
            return;
        }

        _ = FlushOnTickAsync();
    }

    private async Task FlushOnTickAsync()
    {
        try
        {
            await WritePendingAsync();
        }
        catch (RunLostException)
        {
            _onLost();
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WritePendingAsync()
    {
        // Never started: the lines wait for the next save.
        if (_write is not { } write)
        {
            return;
        }

        var batch = Take();
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await write(batch);
        }
#pragma warning disable CA1031 // A database locked past its busy timeout: the lines go with the next flush or save.
        catch (Exception ex) when (ex is not RunLostException)
#pragma warning restore CA1031
        {
            Restore(batch);
        }
    }

    private sealed class ConnectorLog : IRunLogWriter
    {
        private readonly RunLogBuffer _buffer;

        public ConnectorLog(RunLogBuffer buffer)
        {
            _buffer = buffer;
        }

        public void Info(string message) => _buffer.AppendFromConnector(RunLogLevel.Info, message);

        public void Warn(string message) => _buffer.AppendFromConnector(RunLogLevel.Warn, message);

        public void Error(string message) => _buffer.AppendFromConnector(RunLogLevel.Error, message);

        public void Debug(string message) => _buffer.AppendFromConnector(RunLogLevel.Debug, message);
    }
}
