using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// orchrun_queue_depth{namespace}: QUEUED runs per namespace, read from the database when the
/// metrics are scraped (an indexed count), so every process reports the shared queue.
/// </summary>
internal sealed class QueueDepthGauge : IHostedService
{
    private readonly IServiceScopeFactory _scopes;

    public QueueDepthGauge(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        OrchRunMetrics.SharedMeter.CreateObservableGauge("orchrun.queue.depth", Observe, "{run}", "QUEUED runs per namespace.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Observe()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchRunDbContext>();
        return db.OrchRuns.AsNoTracking()
            .Where(r => r.Status == OrchRunStatus.Queued)
            .GroupBy(r => r.Namespace)
            .Select(g => new { Namespace = g.Key, Count = g.Count() })
            .ToList()
            // Past the label bound, namespaces are summed under one "other" label.
            .GroupBy(g => OrchRunMetrics.Namespaces.Of(g.Namespace))
            .Select(g => new Measurement<int>(g.Sum(x => x.Count), new KeyValuePair<string, object?>("namespace", g.Key)))
            .ToList();
    }
}
