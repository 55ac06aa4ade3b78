using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Prepares the database before the server listens and before the worker claims anything
/// (hosted services start in registration order, ahead of Kestrel): migrates it when
/// Database:MigrateOnStartup is on, else refuses to start on a database with pending migrations.
/// </summary>
internal sealed class DatabaseInitializer : IHostedService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<DatabaseOptions> _options;

    public DatabaseInitializer(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options)
    {
        _scopes = scopes;
        _options = options;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
        if (_options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        else
        {
            await migrator.EnsureUpToDateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
