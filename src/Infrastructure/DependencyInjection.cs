using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Connectors;
using OrchRunService.Infrastructure.Connectors.Http;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.ReadModels;
using OrchRunService.Infrastructure.Persistence.Repositories;
using OrchRunService.Infrastructure.Retention;
using OrchRunService.Infrastructure.Secrets;
using OrchRunService.Infrastructure.Worker;

namespace OrchRunService.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "OrchRun";

    private static readonly DatabaseBusyTranslator BusyTranslator = new();

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
                // Pooled: a request or a worker step reuses a reset context instead of building one.
                var busyTimeout = new SqliteBusyTimeoutInterceptor(options.BusyTimeoutSeconds);
                var writeGate = options.WriteGate
                    ? new SqliteWriteGate(TimeSpan.FromSeconds(options.BusyTimeoutSeconds), TimeSpan.FromMilliseconds(options.WriteGateReclaimIntervalMs))
                    : null;
                services.AddDbContextPool<OrchRunDbContext, SqliteOrchRunDbContext>(o =>
                {
                    o.UseSqlite(sqlite.ToString()).AddInterceptors(busyTimeout, BusyTranslator);
                    if (writeGate is not null)
                    {
                        o.AddInterceptors(writeGate);
                    }
                });

                if (options.HandWrittenReads)
                {
                    services.AddSingleton(_ => new SqliteReadConnectionPool(sqlite.ToString(), options.BusyTimeoutSeconds, options.EffectiveReadConnections));
                    services.AddSingleton<IOrchRunReadModel, SqliteOrchRunReadModel>();
                }
                else
                {
                    services.AddScoped<IOrchRunReadModel, OrchRunReadModel>();
                }

                var minWorkerThreads = options.EffectiveMinWorkerThreads(WorkerSettings(configuration).MaxConcurrentRuns);
                services.AddHostedService(sp => new SqliteThreadPoolReserve(minWorkerThreads, sp.GetRequiredService<ILogger<SqliteThreadPoolReserve>>()));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:OrchRun is not set.");
                }

                services.AddDbContextPool<OrchRunDbContext, SqlServerOrchRunDbContext>(o => o.UseSqlServer(connectionString).AddInterceptors(BusyTranslator));
                services.AddScoped<IOrchRunReadModel, OrchRunReadModel>();
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:OrchRun is not set.");
                }

                services.AddDbContextPool<OrchRunDbContext, PostgresOrchRunDbContext>(o => o.UseNpgsql(connectionString).AddInterceptors(BusyTranslator));
                services.AddScoped<IOrchRunReadModel, OrchRunReadModel>();
                break;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<DatabaseMigrator>();
        services.AddHostedService<DatabaseInitializer>();
        var retention = configuration.GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions();
        retention.Validate();
        services.AddSingleton(retention);
        services.AddScoped<RunLogDeleter>();
        services.AddScoped<FinishedRunPurger>();
        // Also registered by AddApplication; the worker's stores need them when it runs alone.
        services.TryAddSingleton(Application.DependencyInjection.Configured(RunParamsLimit.ConfigurationKey, () =>
            new RunParamsLimit(configuration.GetValue(RunParamsLimit.ConfigurationKey, RunParamsLimit.Default))));
        services.TryAddSingleton<IRunLogSignal, RunLogSignal>();
        services.AddScoped<IOrchRunRepository, OrchRunRepository>();
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddScoped<IOrchestratorRepository, OrchestratorRepository>();
        services.AddScoped<IScheduleRepository, ScheduleRepository>();
        services.AddScoped<IRunLogReader, RunLogReader>();
        services.AddScoped<ISecretRepository, SecretRepository>();
        AddSecretProtection(services);

        services.AddHealthChecks().AddDbContextCheck<OrchRunDbContext>("database", tags: ["ready"]);
        AddWorker(services, configuration);
        return services;
    }

    /// <summary>Applies the configured database's pending migrations (the <c>migrate</c> verb); returns how many there were.</summary>
    public static async Task<int> MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
    }

    /// <summary>Data Protection with its key ring in the database under one application name, so every node decrypts.</summary>
    internal static void AddSecretProtection(IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(DataProtectionSecretProtector.ApplicationName)
            .PersistKeysToDbContext<OrchRunDbContext>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
    }

    private static void AddScheduleFiring(IServiceCollection services, IConfiguration configuration)
    {
        var firing = configuration.GetSection(ScheduleFiringOptions.Section).Get<ScheduleFiringOptions>() ?? new ScheduleFiringOptions();
        firing.Validate();
        services.Configure<ScheduleFiringOptions>(configuration.GetSection(ScheduleFiringOptions.Section));
        services.AddHostedService<ScheduleFiringService>();
    }

    private static WorkerOptions WorkerSettings(IConfiguration configuration) =>
        configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();

    private static void AddWorker(IServiceCollection services, IConfiguration configuration)
    {
        var worker = WorkerSettings(configuration);
        worker.Validate();
        services.Configure<WorkerOptions>(configuration.GetSection(WorkerOptions.Section));
        services.AddSingleton(new WorkerNode(string.IsNullOrWhiteSpace(worker.NodeId) ? Guid.NewGuid().ToString() : worker.NodeId));
        services.AddSingleton(new RunExecutionSettings(worker.MaxAttempts, TimeSpan.FromMilliseconds(worker.LogFlushIntervalMs))
        {
            LogLimits = Application.DependencyInjection.Configured($"{RunLogLimits.MaxLineLengthKey} or {RunLogLimits.MaxLinesPerRunKey}", () => new RunLogLimits(
                configuration.GetValue(RunLogLimits.MaxLineLengthKey, RunLogLimits.DefaultMaxLineLength),
                configuration.GetValue(RunLogLimits.MaxLinesPerRunKey, RunLogLimits.DefaultMaxLinesPerRun))),
        });
        services.AddScoped<IRunExecutionStore, RunExecutionStore>();
        services.AddScoped<RunLeaseRenewer>();
        services.AddScoped<IdempotencyKeyPurger>();
        services.AddScoped<RunClaimer>();
        services.AddScoped<OrchRunExecutor>();
        services.AddScoped<StepSecretResolver>();
        services.AddScoped<StepRunner>();
        services.AddSingleton<RunFinisher>();
        services.AddScoped<OrchRunRecovery>();
        services.AddScoped<ServiceLeaseStore>();
        services.AddSingleton<RunLeaseKeeper>();

        services.AddSingleton<IConnector, TestConnector>();
        services.AddHttpRequestConnector(configuration);
        services.AddSingleton<IConnectorCatalog, ConnectorCatalog>();

        services.AddHostedService<QueueDepthGauge>();
        services.AddSingleton<WorkerSignals>();
        services.AddSingleton<IRunQueueSignal>(sp => sp.GetRequiredService<WorkerSignals>());
        services.AddSingleton<IRunCancellationSignal>(sp => sp.GetRequiredService<WorkerSignals>());

        if (worker.Enabled)
        {
            // Give running steps their grace period, plus time to hand unfinished runs back.
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(worker.ShutdownGraceSeconds + 15));
            services.AddHostedService<RunWorker>();
            services.AddHostedService<ExpiredLeaseRecoveryService>();
            services.AddHostedService<UnclaimedCancelService>();
            services.AddHostedService<IdempotencyPurgeService>();
            services.AddHostedService<RetentionService>();
            AddScheduleFiring(services, configuration);
        }
    }
}
