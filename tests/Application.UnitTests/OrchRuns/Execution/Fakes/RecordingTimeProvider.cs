using Microsoft.Extensions.Time.Testing;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>
/// The test's <see cref="FakeTimeProvider"/>, recording the due time of every timer created on
/// it (Task.Delay, CancellationTokenSource with a delay), so a test can wait until the code under
/// test is waiting and check how long it waits.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];

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
        }

        return timer;
    }

    /// <summary>Waits (in real time, up to <paramref name="hang"/>) until a timer of <paramref name="dueTime"/> has been created <paramref name="count"/> times.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, int count, TimeSpan hang)
    {
        using var timeout = new CancellationTokenSource(hang);
        while (DueTimes.Count(d => d == dueTime) < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
