using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// A duty of the worker besides claiming: one pass in its own scope at start and then after
/// every wait, until the host stops. A failed pass (a database hiccup) is logged and tried again
/// after the next wait; it never stops the service.
/// </summary>
internal abstract partial class PeriodicWorkerService : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;

    protected PeriodicWorkerService(IServiceScopeFactory scopes, ILogger logger)
    {
        _scopes = scopes;
        _logger = logger;
    }

    /// <summary>One pass, in a scope of its own.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await RunAsync(scope.ServiceProvider, cancellationToken);
    }

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>The wait between passes (a period on the clock, or sooner when woken).</summary>
    protected abstract Task WaitAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database hiccup must not stop the duty; it tries again after the wait.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPassFailed(ex, GetType().Name);
                try
                {
                    await WaitAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} failed; trying again after its wait")]
    private partial void LogPassFailed(Exception exception, string service);
}
