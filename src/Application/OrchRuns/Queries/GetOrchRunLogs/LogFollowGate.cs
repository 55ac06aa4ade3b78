using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// Counts the open log follows of this process, per user and in all: one more than a limit
/// allows is refused (<see cref="FollowLimitExceededException"/>, a 429). A follow holds its
/// place until its lease is disposed (when its request ends).
/// </summary>
public sealed class LogFollowGate
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly LogFollowLimits _limits;
    private int _total;

    public LogFollowGate(LogFollowLimits limits)
    {
        _limits = limits;
    }

    public int OpenFollows
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>A place for one follow of <paramref name="userId"/>; dispose it when the follow ends.</summary>
    public IDisposable Enter(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        lock (_gate)
        {
            var mine = _perUser.GetValueOrDefault(userId);
            if (mine >= _limits.MaxFollowsPerUser)
            {
                throw new FollowLimitExceededException(
                    $"You already follow {mine} run logs, the most {LogFollowLimits.MaxFollowsPerUserKey} allows; close one, or read without follow=true.");
            }

            if (_total >= _limits.MaxFollows)
            {
                throw new FollowLimitExceededException(
                    $"This node already serves {_total} log follows, the most {LogFollowLimits.MaxFollowsKey} allows; retry later.");
            }

            _perUser[userId] = mine + 1;
            _total++;
        }

        return new Lease(this, userId);
    }

    private void Leave(string userId)
    {
        lock (_gate)
        {
            var left = _perUser[userId] - 1;
            if (left == 0)
            {
                _perUser.Remove(userId);
            }
            else
            {
                _perUser[userId] = left;
            }

            _total--;
        }
    }

    private sealed class Lease : IDisposable
    {
        private LogFollowGate? _gate;
        private readonly string _userId;

        public Lease(LogFollowGate gate, string userId)
        {
            _gate = gate;
            _userId = userId;
        }

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Leave(_userId);
    }
}
