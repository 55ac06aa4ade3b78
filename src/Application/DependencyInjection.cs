using FluentValidation;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Application.Common.Behaviors;
using OrchRunService.Application.Schedules;
using OrchRunService.Application.Schedules.Firing;
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
        services.AddSingleton(ScheduleSettings.From(configuration));
        services.AddScoped<ScheduleFirer>();
        return services;
    }
}
