using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace OrchRunService.Api.Monitor;

/// <summary>
/// Serves the run monitor (web/, built into wwwroot/monitor) at <c>/monitor/</c> without
/// authentication (it holds no data; every call it makes carries the user's token), with headers
/// that forbid inline scripts, framing and referrers. A browser asking for <c>/</c> is sent there;
/// API clients get the same answers as before.
/// </summary>
public static class RunMonitorPage
{
    public const string BasePath = "/monitor";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseRunMonitorPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = app.Configuration["RunMonitor:AssetsPath"] is { Length: > 0 } configured ? configured : FindAssets(app.Environment.ContentRootPath);
        if (root is null)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path == "/" && HttpMethods.IsGet(request.Method) && AcceptsHtml(request))
            {
                context.Response.Redirect($"{BasePath}/");
                return;
            }

            if (request.Path.StartsWithSegments(BasePath))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
            }

            await next(context);
        });

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = BasePath });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = BasePath });
        return app;
    }

    // A browser's navigation asks for text/html first; API clients ask for JSON or anything.
    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    // RunMonitor:AssetsPath names another folder (the browser tests serve web/'s fresh build).
    // Otherwise beside the binary (copied at build) so `dotnet OrchRunService.Api.dll` from any folder finds
    // it; under the content root for `dotnet run`.
    private static string? FindAssets(string contentRoot)
    {
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, "wwwroot", "monitor"), Path.Combine(contentRoot, "wwwroot", "monitor") })
        {
            if (File.Exists(Path.Combine(candidate, "index.html")))
            {
                return candidate;
            }
        }

        return null;
    }
}
