using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OrchRunService.Api.Errors;

namespace OrchRunService.Api.Auth;

/// <summary>
/// A fixed window of <c>RateLimit:PermitLimit</c> requests per <c>RateLimit:WindowSeconds</c> for
/// each user (each client address before authentication); beyond it, 429 with Retry-After.
/// </summary>
internal static class RateLimitingSetup
{
    public static IServiceCollection AddOrchRunRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("RateLimit");
        var enabled = section.GetValue("Enabled", true);
        var permits = section.GetValue("PermitLimit", 1000);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 10));
        if (permits < 1 || window <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RateLimit:PermitLimit and RateLimit:WindowSeconds must be positive.");
        }

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !enabled || context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = window,
                        QueueLimit = 0,
                    }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await new ProblemActionResult(new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Type = ProblemTypes.RateLimited,
                    Title = ProblemTypes.TitleFor(StatusCodes.Status429TooManyRequests),
                    Detail = $"More than {permits} requests in {window.TotalSeconds} s; retry after the Retry-After delay.",
                }).ExecuteResultAsync(new ActionContext { HttpContext = http });
            };
        });
        return services;
    }

    private static string PartitionKey(HttpContext context) =>
        context.User.FindFirst("sub")?.Value is { } user
            ? "user:" + user
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
