using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.Repositories;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "OrchRun";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        var connectionString = configuration.GetConnectionString(ConnectionStringName);

        switch (options.ParseProvider())
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(
                    string.IsNullOrWhiteSpace(connectionString)
                        ? $"Data Source={Path.Combine(contentRootPath, "data", "orchrun.db")}"
                        : connectionString)
                {
                    DefaultTimeout = options.BusyTimeoutSeconds,
                    Pooling = true,
                };
                services.AddDbContext<OrchRunDbContext, SqliteOrchRunDbContext>(o => o.UseSqlite(sqlite.ToString()));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:OrchRun is not set.");
                }

                services.AddDbContext<OrchRunDbContext, SqlServerOrchRunDbContext>(o => o.UseSqlServer(connectionString));
                break;
        }

        services.AddHostedService<DatabaseInitializer>();
        services.AddScoped<IOrchRunRepository, OrchRunRepository>();
        services.AddScoped<IOrchestratorRepository, OrchestratorRepository>();
        services.AddScoped<IRunLogReader, RunLogReader>();

        services.AddSingleton<WorkerSignals>();
        services.AddSingleton<IRunQueueSignal>(sp => sp.GetRequiredService<WorkerSignals>());
        services.AddSingleton<IRunCancellationSignal>(sp => sp.GetRequiredService<WorkerSignals>());

        services.AddHealthChecks().AddDbContextCheck<OrchRunDbContext>("database", tags: ["ready"]);
        return services;
    }
}
