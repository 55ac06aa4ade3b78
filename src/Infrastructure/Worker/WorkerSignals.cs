using System.Collections.Concurrent;
using System.Threading.Channels;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// In-process shortcuts between the API and the worker of the same process: a create wakes the
/// claim loop at once, a cancel wakes the finishing of unclaimed cancels and reaches the running
/// connector at once. Other processes learn the same from the database, at their next poll or
/// lease renewal.
/// </summary>
public sealed class WorkerSignals : IRunQueueSignal, IRunCancellationSignal
{
    private readonly Channel<bool> _queued = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> _cancelled = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>A run was queued, or a slot was freed: the claim loop looks at the queue now.</summary>
    public void RunQueued() => _queued.Writer.TryWrite(true);

    public void CancelRequested(Guid runId)
    {
        // A run cancelled while still queued is finished by the next pass of UnclaimedCancelService: make it now.
        _cancelled.Writer.TryWrite(true);
        if (_running.TryGetValue(runId, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run finished meanwhile.
            }
        }
    }

    /// <summary>Waits until a run is queued or a slot freed, or until <paramref name="timeout"/> passes.</summary>
    public Task WaitForQueuedRunAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(_queued.Reader, timeout, cancellationToken);

    /// <summary>Waits until a cancel is requested in this process, or until <paramref name="timeout"/> passes.</summary>
    public Task WaitForCancelAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(_cancelled.Reader, timeout, cancellationToken);

    /// <summary>Registers a run being executed here, so a cancel signal can reach it.</summary>
    public void Track(Guid runId, CancellationTokenSource cancellation) => _running[runId] = cancellation;

    /// <summary>
    /// Forgets the run's registration if it is still this one: after a lease lapse this process may
    /// have claimed a newer attempt of the same run, which must keep receiving cancel signals.
    /// </summary>
    public void Untrack(Guid runId, CancellationTokenSource cancellation) =>
        _running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(runId, cancellation));

    private static async Task WaitAsync(ChannelReader<bool> wake, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await wake.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed.
        }
    }
}
