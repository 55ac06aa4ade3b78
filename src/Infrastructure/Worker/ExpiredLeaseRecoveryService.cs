using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// Every poll interval, requeues (or fails, past their last attempt) runs whose node stopped
/// renewing its lease: a crashed or cut-off node's runs resume on a live one.
/// </summary>
internal sealed partial class ExpiredLeaseRecoveryService : PeriodicWorkerService
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _period;
    private readonly ILogger<ExpiredLeaseRecoveryService> _logger;

    public ExpiredLeaseRecoveryService(IServiceScopeFactory scopes, IOptions<WorkerOptions> options, TimeProvider clock, ILogger<ExpiredLeaseRecoveryService> logger)
        : base(scopes, logger)
    {
        _clock = clock;
        _period = TimeSpan.FromMilliseconds(options.Value.PollIntervalMs);
        _logger = logger;
    }

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var recovered = await services.GetRequiredService<OrchRunRecovery>().RecoverExpiredLeasesAsync(cancellationToken);
        if (recovered > 0)
        {
            LogRecovered(recovered);
        }
    }

    protected override Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(_period, _clock, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Count} run(s) whose node stopped renewing its lease")]
    private partial void LogRecovered(int count);
}
