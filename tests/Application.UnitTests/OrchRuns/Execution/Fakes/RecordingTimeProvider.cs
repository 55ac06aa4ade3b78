using Microsoft.Extensions.Time.Testing;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>
/// The test's <see cref="FakeTimeProvider"/>, recording the due time of every timer created on
/// it (Task.Delay, CancellationTokenSource with a delay, the log's flush timer), so a test can
/// wait until the code under test is waiting, without waiting in real time, and check how long
/// it waits.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly List<(Func<IReadOnlyList<TimeSpan>, bool> Done, TaskCompletionSource Signal)> _waiters = [];

    public RecordingTimeProvider(FakeTimeProvider clock)
    {
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return _dueTimes.ToList();
            }
        }
    }

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Clock.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Done(_dueTimes)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once a timer of <paramref name="dueTime"/> has been created <paramref name="count"/> times (fails after <paramref name="hang"/>).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, int count, TimeSpan hang) =>
        WaitAsync(dueTimes => dueTimes.Count(d => d == dueTime) >= count, hang);

    /// <summary>Completes once <paramref name="count"/> timers have been created in all.</summary>
    public Task WaitForTimersAsync(int count, TimeSpan hang) => WaitAsync(dueTimes => dueTimes.Count >= count, hang);

    private Task WaitAsync(Func<IReadOnlyList<TimeSpan>, bool> done, TimeSpan hang)
    {
        lock (_gate)
        {
            if (done(_dueTimes))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((done, signal));
            return signal.Task.WaitAsync(hang);
        }
    }
}
