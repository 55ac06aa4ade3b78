using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>The <c>http_request</c> connector with its guarded HTTP client.</summary>
internal static class HttpRequestConnectorRegistration
{
    /// <summary>
    /// Registers the connector. A <see cref="ResolveHostAddresses"/> or <see cref="OpenConnection"/>
    /// registered before this call replaces DNS or the socket (tests use that).
    /// </summary>
    public static IServiceCollection AddHttpRequestConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HttpRequestConnectorOptions>(configuration.GetSection(HttpRequestConnectorOptions.Section));
        services.TryAddSingleton<ResolveHostAddresses>(GuardedConnection.ResolveWithDns);
        services.TryAddSingleton<OpenConnection>(GuardedConnection.OpenSocket);
        services.AddSingleton(sp => new NetworkAddressPolicy(sp.GetRequiredService<IOptions<HttpRequestConnectorOptions>>().Value));
        services.AddSingleton<GuardedConnection>();
        services.AddHttpClient(HttpRequestConnector.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<GuardedConnection>().ConnectAsync,
                AllowAutoRedirect = false,

                // A proxy would be the address connected, and the check would say nothing about the target.
                UseProxy = false,
            });
        services.AddSingleton<IConnector, HttpRequestConnector>();
        return services;
    }
}
