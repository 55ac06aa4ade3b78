using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The run worker of this process: claims queued runs (woken at once by creates in this process,
/// polling for the others), executes up to <c>Worker:MaxConcurrentRuns</c> at a time with a
/// renewed lease each, recovers runs whose node died, and on shutdown returns unfinished runs
/// to the queue after a grace period.
/// </summary>
internal sealed partial class RunWorker : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly WorkerSignals _signals;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunWorker> _logger;
    private readonly ConcurrentDictionary<Guid, RunningRun> _running = new();
    private readonly SemaphoreSlim _slots;

    public RunWorker(IServiceScopeFactory scopes, WorkerSignals signals, IOptions<WorkerOptions> options, WorkerNode node, TimeProvider clock, ILogger<RunWorker> logger)
    {
        _scopes = scopes;
        _signals = signals;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        NodeId = node.Id;
        _slots = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
    }

    public string NodeId { get; }

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(_options.PollIntervalMs);

    private static TimeSpan PurgeInterval => TimeSpan.FromMinutes(10);

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(NodeId, Environment.MachineName, Environment.ProcessId, _options.MaxConcurrentRuns);
        var lastSweep = long.MinValue;
        var lastPurge = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FinishUnclaimedCancelsAsync(stoppingToken);
                if (lastSweep == long.MinValue || _clock.GetElapsedTime(lastSweep) >= PollInterval)
                {
                    lastSweep = _clock.GetTimestamp();
                    await RecoverExpiredLeasesAsync(stoppingToken);
                }

                if (lastPurge == long.MinValue || _clock.GetElapsedTime(lastPurge) >= PurgeInterval)
                {
                    lastPurge = _clock.GetTimestamp();
                    await using var scope = _scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IdempotencyKeyPurger>().PurgeExpiredAsync(stoppingToken);
                }

                await ClaimWhileSlotsFreeAsync(stoppingToken);
                await _signals.WaitForWorkAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A database hiccup must not stop the worker; it tries again next poll.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(ex);
                await Task.Delay(PollInterval, _clock, CancellationToken.None);
            }
        }

        await DrainAsync();
    }

    /// <summary>
    /// Fills the free slots with queued runs: one free slot is one claim as always; several free
    /// slots are filled by one claim transaction of up to that many runs (FIFO).
    /// </summary>
    private async Task ClaimWhileSlotsFreeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = TakeFreeSlots();
            if (free == 0)
            {
                return;
            }

            var filled = free == 1 ? await ClaimOneAsync(stoppingToken) : await ClaimSeveralAsync(free, stoppingToken);
            if (!filled)
            {
                return;
            }
        }
    }

    /// <summary>Takes every free slot at once (none when all are busy).</summary>
    private int TakeFreeSlots()
    {
        var taken = 0;
        while (taken < _options.MaxConcurrentRuns && _slots.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>Claims one run into the slot taken; false (and the slot given back) when the queue is empty.</summary>
    private async Task<bool> ClaimOneAsync(CancellationToken stoppingToken)
    {
        // One scope (one DbContext) per run, from the claim to the end of its execution: the
        // executor goes on with the run as claimed instead of loading it again.
        var scope = _scopes.CreateAsyncScope();
        ClaimedRun? claimed;
        try
        {
            claimed = await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimNextAsync(NodeId, Lease, stoppingToken);
        }
        catch
        {
            await scope.DisposeAsync();
            _slots.Release();
            throw;
        }

        if (claimed is null)
        {
            await scope.DisposeAsync();
            _slots.Release();
            return false;
        }

        Start(claimed, scope, stoppingToken);
        return true;
    }

    /// <summary>
    /// Claims up to <paramref name="slots"/> runs (the slots taken) in one transaction; each is
    /// then executed in its own scope, which loads it again. Slots left unfilled are given back;
    /// false when the queue ran out.
    /// </summary>
    private async Task<bool> ClaimSeveralAsync(int slots, CancellationToken stoppingToken)
    {
        IReadOnlyList<ClaimedRun> claimed;
        try
        {
            await using var claimScope = _scopes.CreateAsyncScope();
            claimed = await claimScope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ClaimQueuedAsync(NodeId, Lease, slots, stoppingToken);
        }
        catch
        {
            _slots.Release(slots);
            throw;
        }

        if (claimed.Count < slots)
        {
            _slots.Release(slots - claimed.Count);
        }

        foreach (var run in claimed)
        {
            Start(run, _scopes.CreateAsyncScope(), stoppingToken);
        }

        return claimed.Count == slots;
    }

    private void Start(ClaimedRun claimed, AsyncServiceScope scope, CancellationToken stoppingToken)
    {
        var running = new RunningRun(claimed.Hold);
        _running[claimed.Hold.RunId] = running;
        _signals.Track(claimed.Hold.RunId, running.Interrupt);
        running.Execution = Task.Run(() => ExecuteRunAsync(running, claimed, scope, stoppingToken), CancellationToken.None);
    }

    private async Task ExecuteRunAsync(RunningRun running, ClaimedRun claimed, AsyncServiceScope scope, CancellationToken stoppingToken)
    {
        var hold = running.Hold;
        using var leaseStop = new CancellationTokenSource();
        var leaseKeeper = KeepLeaseAsync(running, leaseStop.Token);
        try
        {
            LogClaimed(hold.RunId, hold.Attempt);
            await using (scope)
            {
                var executor = scope.ServiceProvider.GetRequiredService<OrchRunExecutor>();
                var outcome = await executor.ExecuteAsync(claimed, running.Interrupt.Token, stoppingToken);
                LogFinished(hold.RunId, outcome);
            }
        }
#pragma warning disable CA1031 // One run's failure must not take the worker down; its lease expiry recovers it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRunCrashed(ex, hold.RunId);
        }
        finally
        {
            await leaseStop.CancelAsync();
            await leaseKeeper;
            // Only this attempt's entries: a newer attempt of the same run claimed here after a lease
            // lapse has registered its own, which must stay.
            _signals.Untrack(hold.RunId, running.Interrupt);
            _running.TryRemove(new KeyValuePair<Guid, RunningRun>(hold.RunId, running));
            running.Interrupt.Dispose();
            _slots.Release();
            _signals.RunQueued();
        }
    }

    /// <summary>Renews the lease every third of it; a lost run or a cancel seen in the database interrupts the execution.</summary>
    private async Task KeepLeaseAsync(RunningRun running, CancellationToken stop)
    {
        var period = Lease / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _clock, stop);
                await using var scope = _scopes.CreateAsyncScope();
                var renewal = await scope.ServiceProvider.GetRequiredService<RunLeaseRenewer>().RenewAsync(running.Hold, Lease, stop);
                if (renewal != LeaseRenewal.Renewed)
                {
                    LogLeaseEnded(running.Hold.RunId, renewal);
                    await running.Interrupt.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A missed renewal is retried; the lease covers three periods.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRenewFailed(ex, running.Hold.RunId);
            }
        }
    }

    private async Task RecoverExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var recovered = await scope.ServiceProvider.GetRequiredService<OrchRunRecovery>().RecoverExpiredLeasesAsync(cancellationToken);
        if (recovered > 0)
        {
            LogRecovered(recovered);
        }
    }

    private async Task FinishUnclaimedCancelsAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrchRunRecovery>().FinishUnclaimedCancelsAsync(cancellationToken);
    }

    /// <summary>Lets running steps finish within the grace period, then interrupts the rest so they return to the queue.</summary>
    private async Task DrainAsync()
    {
        var executions = _running.Values.Select(r => r.Execution).OfType<Task>().ToList();
        if (executions.Count == 0)
        {
            return;
        }

        LogDraining(executions.Count, _options.ShutdownGraceSeconds);
        var all = Task.WhenAll(executions);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(_options.ShutdownGraceSeconds), _clock));
        foreach (var running in _running.Values)
        {
            try
            {
                await running.Interrupt.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }

        await all;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker node {NodeId} started on {Machine} (pid {Pid}), up to {MaxRuns} runs at once")]
    private partial void LogStarted(string nodeId, string machine, int pid, int maxRuns);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed run {RunId} (attempt {Attempt})")]
    private partial void LogClaimed(Guid runId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended: {Outcome}")]
    private partial void LogFinished(Guid runId, RunExecutionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} stopped with an error in the worker; it is recovered when its lease expires")]
    private partial void LogRunCrashed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: lease renewal says {Renewal}; interrupting its execution")]
    private partial void LogLeaseEnded(Guid runId, LeaseRenewal renewal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease renewal failed; retrying")]
    private partial void LogRenewFailed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Count} run(s) whose node stopped renewing its lease")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker loop failed; retrying after the poll interval")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down with {Count} run(s) executing; they get {Grace} s to finish")]
    private partial void LogDraining(int count, int grace);

    private sealed class RunningRun
    {
        public RunningRun(RunHold hold)
        {
            Hold = hold;
        }

        public RunHold Hold { get; }

        public CancellationTokenSource Interrupt { get; } = new();

        public Task? Execution { get; set; }
    }
}
