using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure.Retention;

/// <summary>
/// Deletes finished runs past <c>Retention:FinishedRunDays</c>, at start and every
/// <c>Retention:IntervalSeconds</c>, on one node at a time: the pass runs on the node that holds
/// the <c>retention</c> lease for the period (the holder renews it on its next pass; when it is
/// gone the lease lapses and another node's pass takes it). Each delete is idempotent, so a pass
/// that outlasts its lease and overlaps another node's only repeats work.
/// </summary>
internal sealed class RetentionService : PeriodicWorkerService
{
    public const string LeaseName = "retention";

    private readonly TimeProvider _clock;
    private readonly TimeSpan _period;
    private readonly WorkerNode _node;

    public RetentionService(IServiceScopeFactory scopes, TimeProvider clock, RetentionOptions options, WorkerNode node, ILogger<RetentionService> logger)
        : base(scopes, logger)
    {
        _clock = clock;
        _period = TimeSpan.FromSeconds(options.IntervalSeconds);
        _node = node;
    }

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await services.GetRequiredService<ServiceLeaseStore>().TryTakeAsync(LeaseName, _node.Id, _period, cancellationToken) is null)
        {
            return;
        }

        await services.GetRequiredService<FinishedRunPurger>().PurgeAsync(cancellationToken);
    }

    protected override Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(_period, _clock, cancellationToken);
}
