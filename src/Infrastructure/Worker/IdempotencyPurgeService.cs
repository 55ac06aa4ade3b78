using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>Deletes Idempotency-Key records past their lifetime, at start and every <c>Worker:IdempotencyPurgeIntervalSeconds</c>.</summary>
internal sealed class IdempotencyPurgeService : PeriodicWorkerService
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _period;

    public IdempotencyPurgeService(IServiceScopeFactory scopes, TimeProvider clock, IOptions<WorkerOptions> options, ILogger<IdempotencyPurgeService> logger)
        : base(scopes, logger)
    {
        _clock = clock;
        _period = TimeSpan.FromSeconds(options.Value.IdempotencyPurgeIntervalSeconds);
    }

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdempotencyKeyPurger>().PurgeExpiredAsync(cancellationToken);

    protected override Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(_period, _clock, cancellationToken);
}
