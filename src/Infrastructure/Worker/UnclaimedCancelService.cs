using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// Finishes runs cancelled while still QUEUED (no node claimed them, so none will cancel them):
/// at once when the cancel was made in this process, else within a poll interval.
/// </summary>
internal sealed class UnclaimedCancelService : PeriodicWorkerService
{
    private readonly WorkerSignals _signals;
    private readonly TimeSpan _period;

    public UnclaimedCancelService(IServiceScopeFactory scopes, WorkerSignals signals, IOptions<WorkerOptions> options, ILogger<UnclaimedCancelService> logger)
        : base(scopes, logger)
    {
        _signals = signals;
        _period = TimeSpan.FromMilliseconds(options.Value.PollIntervalMs);
    }

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<OrchRunRecovery>().FinishUnclaimedCancelsAsync(cancellationToken);

    protected override Task WaitAsync(CancellationToken cancellationToken) => _signals.WaitForCancelAsync(_period, cancellationToken);
}
