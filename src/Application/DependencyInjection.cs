using FluentValidation;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrchRunService.Application.Common.Behaviors;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application;

public static class DependencyInjection
{
    /// <summary>The mediator with its pipeline (namespace authorisation, then validation), the validators and the queued-run limit.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(NamespaceAuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(new QueuedRunLimit(configuration.GetValue("Runs:MaxQueuedPerNamespace", QueuedRunLimit.Default)));
        var paramsLimit = new RunParamsLimit(configuration.GetValue(RunParamsLimit.ConfigurationKey, RunParamsLimit.Default));
        services.TryAddSingleton(paramsLimit);
        services.AddSingleton(new DefinitionLimits(
            new OrchestratorStepLimit(configuration.GetValue(OrchestratorStepLimit.ConfigurationKey, OrchestratorStepLimit.Default)),
            paramsLimit));
        services.AddSingleton(new LogFollowLimits(
            configuration.GetValue(LogFollowLimits.MaxFollowsPerUserKey, LogFollowLimits.DefaultMaxFollowsPerUser),
            configuration.GetValue(LogFollowLimits.MaxFollowsKey, LogFollowLimits.DefaultMaxFollows)));
        services.AddSingleton<LogFollowGate>();
        services.TryAddSingleton<IRunLogSignal, RunLogSignal>();
        return services;
    }
}
