using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// Keeps the lease of one run this node executes: renews it every third of the lease, and
/// interrupts the execution when the renewal finds the claim lost or a cancel requested (which
/// is how a node learns of deletes and cancels made through other processes).
/// </summary>
internal sealed partial class RunLeaseKeeper
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunLeaseKeeper> _logger;

    public RunLeaseKeeper(IServiceScopeFactory scopes, IOptions<WorkerOptions> options, TimeProvider clock, ILogger<RunLeaseKeeper> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        Lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
    }

    public TimeSpan Lease { get; }

    /// <summary>Renews until <paramref name="stop"/> fires or the execution is interrupted through <paramref name="interrupt"/>.</summary>
    public async Task KeepAsync(RunClaim claim, CancellationTokenSource interrupt, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(interrupt);
        var period = Lease / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _clock, stop);
                await using var scope = _scopes.CreateAsyncScope();
                var renewal = await scope.ServiceProvider.GetRequiredService<RunLeaseRenewer>().RenewAsync(claim, Lease, stop);
                if (renewal != LeaseRenewal.Renewed)
                {
                    LogLeaseEnded(claim.RunId, renewal);
                    await interrupt.CancelAsync();
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
                LogRenewFailed(ex, claim.RunId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: lease renewal says {Renewal}; interrupting its execution")]
    private partial void LogLeaseEnded(Guid runId, LeaseRenewal renewal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease renewal failed; retrying")]
    private partial void LogRenewFailed(Exception exception, Guid runId);
}
