using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Bench.Serving;

[assembly: HostingStartup(typeof(StaticCeilingHostingStartup))]

namespace OrchRunService.Bench.Serving;

/// <summary>
/// The Kestrel ceiling, added to the real API only when the bench hosts it (<c>serve</c> mode sets
/// <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=OrchRunService.Bench</c>; the product never loads this
/// assembly). A startup filter puts one middleware in front of the API's pipeline:
/// <c>PUT /bench/static/{key}</c> stores a body, <c>GET /bench/static/{key}</c> answers it from memory
/// with the same content type. Same process, same Kestrel, same limits; no auth, MVC or database.
/// It also adds <see cref="FrameworkFloorController"/>, which answers the same stored bodies behind
/// the API's whole pipeline (authentication, authorisation, MVC), so the gap between the static
/// copy and the API splits into the framework's share and the share of the API's own work.
/// </summary>
internal sealed class StaticCeilingHostingStartup : IHostingStartup
{
    public void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<StaticBodies>();
            services.AddSingleton<IStartupFilter, StaticCeilingStartupFilter>();
            services.AddControllers().AddApplicationPart(typeof(FrameworkFloorController).Assembly);
        });
}

/// <summary>The bodies stored by <c>PUT /bench/static/{key}</c>.</summary>
public sealed class StaticBodies
{
    private readonly ConcurrentDictionary<string, (byte[] Body, string ContentType)> _bodies = new(StringComparer.Ordinal);

    internal void Store(string key, byte[] body, string contentType) => _bodies[key] = (body, contentType);

    internal bool TryGet(string key, out (byte[] Body, string ContentType) stored) => _bodies.TryGetValue(key, out stored);
}

internal sealed class StaticCeilingStartupFilter : IStartupFilter
{
    public const string Prefix = "/bench/static/";

    private readonly StaticBodies _bodies;

    public StaticCeilingStartupFilter(StaticBodies bodies)
    {
        _bodies = bodies;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var path = context.Request.Path.Value;
            if (path is null || !path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                await nextMiddleware(context);
                return;
            }

            var key = path[Prefix.Length..];
            if (HttpMethods.IsPut(context.Request.Method))
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                _bodies.Store(key, buffer.ToArray(), context.Request.ContentType ?? "application/octet-stream");
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            if (!_bodies.TryGet(key, out var stored))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = stored.ContentType;
            context.Response.ContentLength = stored.Body.Length;
            await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
        });
        next(app);
    };
}
