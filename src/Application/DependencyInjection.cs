using FluentValidation;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrchRunService.Application.Common.Behaviors;
using OrchRunService.Application.OrchRuns.Commands;
using OrchRunService.Application.OrchRuns.Commands.Idempotency;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Application.Schedules;
using OrchRunService.Application.Schedules.Firing;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application;

public static class DependencyInjection
{
    /// <summary>The mediator with its pipeline (namespace authorisation, then validation), the validators, and the step that queues new runs (queued-run limit, idempotency).</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(NamespaceAuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(new QueuedRunLimit(configuration.GetValue("Runs:MaxQueuedPerNamespace", QueuedRunLimit.Default)));
        services.AddScoped<IdempotencyGuard>();
        services.AddScoped<RunEnqueuer>();
        var paramsLimit = Configured(RunParamsLimit.ConfigurationKey, () =>
            new RunParamsLimit(configuration.GetValue(RunParamsLimit.ConfigurationKey, RunParamsLimit.Default)));
        services.TryAddSingleton(paramsLimit);
        services.AddSingleton(new DefinitionLimits(
            Configured(OrchestratorStepLimit.ConfigurationKey, () =>
                new OrchestratorStepLimit(configuration.GetValue(OrchestratorStepLimit.ConfigurationKey, OrchestratorStepLimit.Default))),
            paramsLimit));
        services.AddSingleton(Configured($"{LogFollowLimits.MaxFollowsPerUserKey} and {LogFollowLimits.MaxFollowsKey}", () => new LogFollowLimits(
            configuration.GetValue(LogFollowLimits.MaxFollowsPerUserKey, LogFollowLimits.DefaultMaxFollowsPerUser),
            configuration.GetValue(LogFollowLimits.MaxFollowsKey, LogFollowLimits.DefaultMaxFollows))));
        services.AddSingleton<LogFollowGate>();
        services.TryAddSingleton<IRunLogSignal, RunLogSignal>();
        services.AddSingleton(ScheduleSettings.From(configuration));
        services.AddScoped<ScheduleFirer>();
        return services;
    }

    /// <summary>A limit built from configuration; a value out of range stops start-up naming its key.</summary>
    public static T Configured<T>(string keys, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidOperationException($"{keys} is out of range: {ex.Message}", ex);
        }
    }
}
