using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Schedules.Firing;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// Fires due schedule slots. One node at a time scans (it holds the <c>schedule-scan</c> lease,
/// renewed at every pass); it sleeps until the earliest next slot (at most
/// <c>Schedules:ScanIntervalMs</c>), so a slot's run is created within milliseconds of its time.
/// The other nodes try for the lease every third of its length and take over once it lapses.
/// Exactly once per slot does not rest on the lease: the slot record's key does (see
/// <see cref="ScheduleFirer"/>); the lease keeps the nodes from racing for every slot.
/// </summary>
internal sealed partial class ScheduleFiringService : PeriodicWorkerService
{
    public const string LeaseName = "schedule-scan";
    private const int BatchSize = 200;

    // One commit for a burst of due schedules of a namespace; bounded so the write lock is not held long.
    private const int SchedulesPerTransaction = 50;

    private static readonly TimeSpan ConflictPause = TimeSpan.FromMilliseconds(200);

    private readonly TimeProvider _clock;
    private readonly WorkerNode _node;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _scanInterval;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<ScheduleFiringService> _logger;
    private DateTimeOffset _wakeAt;
    private bool _holding;

    public ScheduleFiringService(
        IServiceScopeFactory scopes,
        TimeProvider clock,
        WorkerNode node,
        IOptions<ScheduleFiringOptions> options,
        ILogger<ScheduleFiringService> logger)
        : base(scopes, logger)
    {
        _scopes = scopes;
        _clock = clock;
        _node = node;
        _logger = logger;
        _lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        _scanInterval = TimeSpan.FromMilliseconds(options.Value.ScanIntervalMs);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_holding)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ServiceLeaseStore>().ReleaseAsync(LeaseName, _node.Id, cancellationToken);
            }
#pragma warning disable CA1031 // Best effort: the lease lapses by itself.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogReleaseFailed(ex);
            }
        }
    }

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // Until this pass knows better: a failed pass tries again a scan interval later.
        _wakeAt = _clock.GetUtcNow() + _scanInterval;
        var leases = services.GetRequiredService<ServiceLeaseStore>();
        var leaseExpiresAt = await leases.TryTakeAsync(LeaseName, _node.Id, _lease, cancellationToken);
        _holding = leaseExpiresAt is not null;
        if (leaseExpiresAt is not { } expiresAt)
        {
            _wakeAt = _clock.GetUtcNow() + _lease / 3;
            return;
        }

        var renewAt = expiresAt - (_lease * 2 / 3);
        var schedules = services.GetRequiredService<IScheduleRepository>();
        var firer = services.GetRequiredService<ScheduleFirer>();
        var conflicts = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await schedules.ListDueAsync(_clock.GetUtcNow(), BatchSize, cancellationToken);
            foreach (var chunk in due.GroupBy(d => d.Namespace, StringComparer.Ordinal).SelectMany(g => g.Chunk(SchedulesPerTransaction)))
            {
                if (_clock.GetUtcNow() >= renewAt)
                {
                    // A long pass renews on the way; a lost lease ends it (the new holder goes on).
                    if (await leases.TryTakeAsync(LeaseName, _node.Id, _lease, cancellationToken) is not { } renewed)
                    {
                        _holding = false;
                        return;
                    }

                    renewAt = renewed - (_lease * 2 / 3);
                }

                if (!await TryFireAsync(firer, chunk, cancellationToken))
                {
                    conflicts = true;
                    if (chunk.Length > 1)
                    {
                        // One schedule's conflict rolled the whole chunk back: the others go one by one.
                        foreach (var single in chunk)
                        {
                            await TryFireAsync(firer, [single], cancellationToken);
                        }
                    }
                }
            }

            if (due.Count < BatchSize)
            {
                break;
            }
        }

        var now = _clock.GetUtcNow();
        var wakeAt = now + _scanInterval;
        if (await schedules.EarliestNextFireAsync(cancellationToken) is { } next && next < wakeAt)
        {
            // After a conflict a slot may still look due: not again at once, so a lasting fault cannot spin.
            wakeAt = conflicts && next < now + ConflictPause ? now + ConflictPause : next;
        }

        _wakeAt = wakeAt;
    }

    private async Task<bool> TryFireAsync(ScheduleFirer firer, DueSchedule[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            await firer.FireDueSlotsAsync(chunk[0].Namespace, chunk.Select(d => d.Id).ToList(), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is DbUpdateException or ConcurrencyConflictException)
        {
            // Another node recorded a slot first, or a schedule changed meanwhile: the transaction
            // rolled back whole; the next scan reads the schedules afresh.
            LogSlotRace(chunk.Length, ex.Message);
            return false;
        }
    }

    protected override Task WaitAsync(CancellationToken cancellationToken)
    {
        var wait = _wakeAt - _clock.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, _clock, cancellationToken) : Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} schedule(s): a due slot was handled elsewhere or a schedule changed meanwhile ({Reason}); rolled back")]
    private partial void LogSlotRace(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the schedule-scan lease on shutdown; it lapses by itself")]
    private partial void LogReleaseFailed(Exception exception);
}
