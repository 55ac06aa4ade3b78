using System.Net.Http.Headers;

namespace OrchRunService.TestSupport;

/// <summary>The HTTP client every process-level caller of the service uses: a base address, a bearer token, pooled connections.</summary>
public static class ServiceHttp
{
    /// <summary>A client of <paramref name="baseAddress"/> whose requests carry <paramref name="token"/>; pooled connections live <paramref name="connectionLifetime"/> (5 minutes unless given).</summary>
    public static HttpClient Create(Uri baseAddress, string token, TimeSpan timeout, int maxConnections = 256, TimeSpan? connectionLifetime = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = connectionLifetime ?? TimeSpan.FromMinutes(5), MaxConnectionsPerServer = maxConnections };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
