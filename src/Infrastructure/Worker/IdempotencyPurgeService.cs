using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>Deletes Idempotency-Key records past their lifetime, at start and every ten minutes.</summary>
internal sealed class IdempotencyPurgeService : PeriodicWorkerService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _clock;

    public IdempotencyPurgeService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyPurgeService> logger)
        : base(scopes, logger)
    {
        _clock = clock;
    }

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdempotencyKeyPurger>().PurgeExpiredAsync(cancellationToken);

    protected override Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Period, _clock, cancellationToken);
}
