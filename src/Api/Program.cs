using NLog;
using NLog.Web;
using OrchRunService.Api;
using OrchRunService.Application;
using OrchRunService.Infrastructure;

var logger = LogManager.Setup().LoadConfigurationFromAppSettings().GetCurrentClassLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Logging.ClearProviders();
    builder.Host.UseNLog();

    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath)
        .AddApi(builder.Configuration);

    var app = builder.Build();
    app.UseApi();
    await app.RunAsync();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // dotnet-ef and nswag stop the host on purpose (HostAbortedException); anything else is fatal.
    logger.Fatal(ex, "OrchRun stopped because of an exception");
    throw;
}
finally
{
    LogManager.Shutdown();
}

/// <summary>Entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
