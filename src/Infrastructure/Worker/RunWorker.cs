using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The claim loop of this process: whenever slots are free (up to <c>Worker:MaxConcurrentRuns</c>)
/// it claims that many queued runs in one transaction, woken at once by creates in this process
/// and polling for the others, and executes each claimed run in its own scope with its lease
/// kept alive. On shutdown it gives running steps a grace period, then returns unfinished runs
/// to the queue.
/// </summary>
internal sealed partial class RunWorker : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly WorkerSignals _signals;
    private readonly RunLeaseKeeper _leases;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunWorker> _logger;
    private readonly ConcurrentDictionary<Guid, RunningRun> _running = new();
    private readonly SemaphoreSlim _slots;

    public RunWorker(IServiceScopeFactory scopes, WorkerSignals signals, RunLeaseKeeper leases, IOptions<WorkerOptions> options, WorkerNode node, TimeProvider clock, ILogger<RunWorker> logger)
    {
        _scopes = scopes;
        _signals = signals;
        _leases = leases;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        NodeId = node.Id;
        _slots = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
    }

    public string NodeId { get; }

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(_options.PollIntervalMs);

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(NodeId, Environment.MachineName, Environment.ProcessId, _options.MaxConcurrentRuns);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimWhileSlotsFreeAsync(stoppingToken);
                await _signals.WaitForQueuedRunAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (ConcurrencyConflictException ex)
            {
                // The claim lost a race with a cancel or delete of one of its runs (on a server
                // database: chosen as a deadlock's victim) and rolled back whole; claim again now.
                LogClaimLostRace(ex);
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

    /// <summary>Fills the free slots with queued runs (FIFO), one claim transaction per round, until the slots or the queue run out.</summary>
    private async Task ClaimWhileSlotsFreeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = TakeFreeSlots();
            if (free == 0 || await ClaimAsync(free, stoppingToken) < free)
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

    /// <summary>
    /// Claims up to <paramref name="slots"/> runs (the slots taken) in one transaction and starts
    /// each in its own scope; slots left unfilled are given back. Returns how many were claimed.
    /// </summary>
    private async Task<int> ClaimAsync(int slots, CancellationToken stoppingToken)
    {
        IReadOnlyList<ClaimedRun> claimed;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            claimed = await scope.ServiceProvider.GetRequiredService<RunClaimer>().ClaimAsync(NodeId, _leases.Lease, slots, stoppingToken);
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
            Start(run, stoppingToken);
        }

        return claimed.Count;
    }

    private void Start(ClaimedRun claimed, CancellationToken stoppingToken)
    {
        var running = new RunningRun(claimed.Claim);
        _running[claimed.RunId] = running;
        _signals.Track(claimed.RunId, running.Interrupt);
        running.Execution = Task.Run(() => ExecuteRunAsync(running, claimed, stoppingToken), CancellationToken.None);
    }

    private async Task ExecuteRunAsync(RunningRun running, ClaimedRun claimed, CancellationToken stoppingToken)
    {
        var claim = running.Claim;
        using var leaseStop = new CancellationTokenSource();
        var leaseKeeper = _leases.KeepAsync(claim, running.Interrupt, leaseStop.Token);
        try
        {
            LogClaimed(claim.RunId, claim.Attempt);
            await using var scope = _scopes.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<OrchRunExecutor>().ExecuteAsync(claimed, running.Interrupt.Token, stoppingToken);
            LogFinished(claim.RunId, outcome);
        }
#pragma warning disable CA1031 // One run's failure must not take the worker down; its lease expiry recovers it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRunCrashed(ex, claim.RunId);
        }
        finally
        {
            await leaseStop.CancelAsync();
            await leaseKeeper;
            // Only this attempt's entries: a newer attempt of the same run claimed here after a lease
            // lapse has registered its own, which must stay.
            _signals.Untrack(claim.RunId, running.Interrupt);
            _running.TryRemove(new KeyValuePair<Guid, RunningRun>(claim.RunId, running));
            running.Interrupt.Dispose();
            _slots.Release();
            _signals.RunQueued();
        }
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "A claim lost a race with another change and rolled back; claiming again")]
    private partial void LogClaimLostRace(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed run {RunId} (attempt {Attempt})")]
    private partial void LogClaimed(Guid runId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended: {Outcome}")]
    private partial void LogFinished(Guid runId, RunOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} stopped with an error in the worker; it is recovered when its lease expires")]
    private partial void LogRunCrashed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker loop failed; retrying after the poll interval")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down with {Count} run(s) executing; they get {Grace} s to finish")]
    private partial void LogDraining(int count, int grace);

    private sealed class RunningRun
    {
        public RunningRun(RunClaim claim)
        {
            Claim = claim;
        }

        public RunClaim Claim { get; }

        public CancellationTokenSource Interrupt { get; } = new();

        public Task? Execution { get; set; }
    }
}
