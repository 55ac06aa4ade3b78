using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry.Metrics;
using OrchRunService.Api.Errors;
using OrchRunService.Application.Common.Metrics;

namespace OrchRunService.Api.Metrics;

/// <summary>
/// The Prometheus scrape endpoint and who may read it (<see cref="MetricsOptions"/>): only on
/// <c>Metrics:Port</c> when set, only with <c>Metrics:BearerToken</c> when set; with neither,
/// only in Development or with <c>Metrics:AllowAnonymous</c>.
/// </summary>
internal static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>The instruments that carry a namespace label.</summary>
    private static readonly HashSet<string> NamespaceLabelled =
        ["orchrun.runs.created", "orchrun.runs.completed", "orchrun.runs.failed", "orchrun.runs.cancelled", "orchrun.queue.depth"];

    public static IServiceCollection AddOrchRunMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        options.Validate();
        services.AddSingleton(options);
        OrchRunMetrics.LimitNamespaceLabels(options.MaxNamespaceLabels);
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics
                .AddMeter(OrchRunMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics")
                .AddPrometheusExporter();
            if (!options.NamespaceLabels)
            {
                // Those instruments have no other label: keep none.
                metrics.AddView(instrument =>
                    instrument.Meter.Name == OrchRunMetrics.MeterName && NamespaceLabelled.Contains(instrument.Name)
                        ? new MetricStreamConfiguration { TagKeys = [] }
                        : null);
            }
        });
        return services;
    }

    public static WebApplication UseOrchRunMetricsGuard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<MetricsOptions>();
        if (options.Port is { } port)
        {
            ListenAlsoOn(app, port);
        }
        var token = string.IsNullOrEmpty(options.BearerToken) ? null : Encoding.UTF8.GetBytes("Bearer " + options.BearerToken);
        var closed = options.Port is null && token is null && !options.AllowAnonymous && !app.Environment.IsDevelopment();
        if (closed)
        {
            app.Logger.LogWarning("/metrics is off until Metrics:Port or Metrics:BearerToken is set (docs/security.md).");
        }

        app.Use(async (context, next) =>
        {
            var isMetrics = context.Request.Path.Equals(Path, StringComparison.Ordinal);
            var onMetricsPort = options.Port is { } metricsPort && context.Connection.LocalPort == metricsPort;

            // Metrics on their port only, and nothing else there.
            if (options.Port is not null && isMetrics != onMetricsPort)
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such resource on this port.");
                return;
            }

            if (isMetrics && closed)
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "/metrics is off: an administrator sets Metrics:Port or Metrics:BearerToken to serve it.");
                return;
            }

            if (isMetrics && token is not null && !Matches(context.Request.Headers.Authorization.ToString(), token))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "/metrics needs the scrape token (Authorization: Bearer <Metrics:BearerToken>).");
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool Matches(string authorization, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), expected);

    private static Task WriteAsync(HttpContext context, int status, string type, string detail) =>
        new ProblemActionResult(new ProblemDetails { Status = status, Type = type, Title = ProblemTypes.TitleFor(status), Detail = detail })
            .ExecuteResultAsync(new ActionContext { HttpContext = context });

    /// <summary>
    /// Adds the metrics port, on the API's hosts, to the addresses the server listens on, keeping the configured ones
    /// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>), which the server would
    /// otherwise drop once any address is set here.
    /// </summary>
    private static void ListenAlsoOn(WebApplication app, int port)
    {
        if (app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>() is not { Addresses: { IsReadOnly: false } addresses })
        {
            return;
        }

        var configured = addresses.Count > 0 ? addresses.ToList() : ConfiguredUrls(app.Configuration).ToList();
        if (addresses.Count == 0)
        {
            foreach (var url in configured)
            {
                addresses.Add(url);
            }
        }

        // The API's interfaces, another port: a service bound to loopback keeps its metrics there too.
        foreach (var host in configured.Select(url => BindingAddress.Parse(url).Host).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            addresses.Add($"http://{host}:{port}");
        }
    }

    private static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        static IEnumerable<string> Split(string? value) => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration["urls"]).ToList();
        if (urls.Count > 0)
        {
            return urls;
        }

        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }
}
