using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

/// <summary>The connector as the service registers it, with the given configuration and optional DNS/connect hooks.</summary>
internal static class HttpRequestConnectorServices
{
    public static ServiceProvider Build(Dictionary<string, string?> settings, ResolveHostAddresses? resolve = null, OpenConnection? open = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.ClearProviders());
        if (resolve is not null)
        {
            services.AddSingleton(resolve);
        }

        if (open is not null)
        {
            services.AddSingleton(open);
        }

        services.AddHttpRequestConnector(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
