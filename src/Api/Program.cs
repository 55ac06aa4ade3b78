using NLog;
using NLog.Web;
using OrchRunService.Api;
using OrchRunService.Api.Auth;
using OrchRunService.Api.CommandLine;
using OrchRunService.Application;
using OrchRunService.Infrastructure;

if (HelpCommand.IsInvoked(args))
{
    return HelpCommand.Run(Console.Out);
}

var logger = LogManager.Setup().LoadConfigurationFromAppSettings().GetCurrentClassLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    if (TokenCommand.IsInvoked(args))
    {
        return TokenCommand.Run(args, builder.Configuration, builder.Environment, Console.Out);
    }

    builder.Logging.ClearProviders();
    builder.Host.UseNLog();

    builder.Services
        .AddApplication(builder.Configuration)
        .AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
    if (MigrateCommand.IsInvoked(args))
    {
        // The database alone: no server, no worker, no authentication settings needed.
        using var migrationHost = builder.Build();
        return await MigrateCommand.RunAsync(() => migrationHost.Services.MigrateDatabaseAsync(CancellationToken.None), Console.Out);
    }

    builder.Services.AddApi(builder.Configuration);

    var app = builder.Build();
    app.UseApi();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (PortInUse.Explains(ex))
{
    await Console.Error.WriteLineAsync(PortInUse.Message(ex));
    return 3;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // dotnet-ef and nswag stop the host on purpose (HostAbortedException); anything else is fatal.
    logger.Fatal(ex, "OrchRun stopped because of an exception");
    await Console.Error.WriteLineAsync($"OrchRun could not run: {ex.Message}");
    return 1;
}
finally
{
    LogManager.Shutdown();
}

/// <summary>Entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
