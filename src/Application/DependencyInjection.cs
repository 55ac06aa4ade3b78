using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace OrchRunService.Application;

public static class DependencyInjection
{
    /// <summary>Validators of this layer. The mediator itself is generated in the host (see the Api's AddApi).</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
