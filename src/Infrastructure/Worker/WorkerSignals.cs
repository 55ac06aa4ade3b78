using System.Collections.Concurrent;
using System.Threading.Channels;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// In-process shortcuts between the API and the worker of the same process: a create wakes the
/// worker at once, a cancel or delete reaches the running connector at once. Other processes
/// learn the same from the database, at their next poll or lease renewal.
/// </summary>
public sealed class WorkerSignals : IRunQueueSignal, IRunCancellationSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public void RunQueued() => _wake.Writer.TryWrite(true);

    public void CancelRequested(Guid runId)
    {
        // A run cancelled while still queued is finished by the worker's next pass: make it now.
        _wake.Writer.TryWrite(true);
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

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> passes.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed.
        }
    }

    /// <summary>Registers a run being executed here, so a cancel signal can reach it.</summary>
    public void Track(Guid runId, CancellationTokenSource cancellation) => _running[runId] = cancellation;

    /// <summary>
    /// Forgets the run's registration if it is still this one: after a lease lapse this process may
    /// have claimed a newer attempt of the same run, which must keep receiving cancel signals.
    /// </summary>
    public void Untrack(Guid runId, CancellationTokenSource cancellation) =>
        _running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(runId, cancellation));
}
