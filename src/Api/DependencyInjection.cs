using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using OrchRunService.Api.Binding;
using OrchRunService.Api.Errors;
using OrchRunService.Api.Auth;
using OrchRunService.Api.Metrics;
using OrchRunService.Api.Monitor;
using OrchRunService.Api.OpenApi;

namespace OrchRunService.Api;

public static class DependencyInjection
{
    public const string ApiBasePath = "/datasourcesvc/api/v1";

    /// <summary>Largest request body accepted (bytes); runs and definitions are small.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Largest total of request headers (bytes): a token and the usual headers fit many times over.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrchRunAuthentication(configuration);
        services.AddOrchRunRateLimiting(configuration);

        services
            .AddControllers(options =>
            {
                options.Filters.Add<RepeatedQueryParameterFilter>();
                options.ModelBinderProviders.Insert(0, new IdModelBinderProvider());
                options.ReturnHttpNotAcceptable = false;
            })
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = InvalidModelStateResponse.Create);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (!ProblemTypes.IsOurs(problem.Type))
            {
                problem.Type = ProblemTypes.ForStatus(status);
                problem.Title = ProblemTypes.TitleFor(status);
            }

            problem.Detail ??= problem.Title;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Infrastructure.IClientErrorFactory, ProblemClientErrorFactory>();

        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            options.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
            options.Limits.MaxRequestHeaderCount = 100;
            options.Limits.MaxRequestLineSize = 16 * 1024;
        });

        services.AddOrchRunMetrics(configuration);

        services.AddOpenApiDocument(document =>
        {
            document.DocumentName = "v1";
            document.Title = "OrchRun";
            document.Description = "Creates, lists, cancels and deletes orchestrator runs per project namespace, and keeps their logs.";
            document.Version = "v1";
            document.SchemaSettings.SchemaNameGenerator = new PageSchemaNameGenerator();
            document.AddSecurity("Bearer", new NSwag.OpenApiSecurityScheme
            {
                Type = NSwag.OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose 'sub' is the user and whose 'ns' claims are the namespaces it may use ('*' for all).",
            });
            document.OperationProcessors.Add(new NSwag.Generation.Processors.Security.OperationSecurityScopeProcessor("Bearer"));
            document.OperationProcessors.Add(new ProblemResponsesProcessor());
        });
        return services;
    }

    /// <summary>The seed's wire format: names as attributed, statuses as "REQUEST_CANCEL", JSON escaping kept minimal.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNameCaseInsensitive = true;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseOrchRunMetricsGuard();
        app.UseOpenApi();
        app.UseSwaggerUi(settings => settings.Path = "/swagger");
        app.UseRunMonitorPage();

        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapControllers();
        app.MapPrometheusScrapingEndpoint(MetricsSetup.Path).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
