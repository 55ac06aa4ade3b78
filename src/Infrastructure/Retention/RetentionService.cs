using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.Retention;

/// <summary>Deletes finished runs past <c>Retention:FinishedRunDays</c>, at start and every <c>Retention:IntervalSeconds</c>.</summary>
internal sealed class RetentionService : PeriodicWorkerService
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _period;

    public RetentionService(IServiceScopeFactory scopes, TimeProvider clock, RetentionOptions options, ILogger<RetentionService> logger)
        : base(scopes, logger)
    {
        _clock = clock;
        _period = TimeSpan.FromSeconds(options.IntervalSeconds);
    }

    // Seam: a lease that lets one node at a time purge goes around this call. Without it every
    // node purges; that is safe (each delete is idempotent), only redundant.
    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<FinishedRunPurger>().PurgeAsync(cancellationToken);

    protected override Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(_period, _clock, cancellationToken);
}
