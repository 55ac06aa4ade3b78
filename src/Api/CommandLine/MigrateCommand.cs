using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.CommandLine;

/// <summary>
/// <c>migrate</c>: applies the configured database's pending migrations and exits, for
/// deployments that migrate before rolling out nodes started with Database:MigrateOnStartup=false.
/// </summary>
public static class MigrateCommand
{
    public const string Verb = "migrate";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        await using var scope = services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await output.WriteLineAsync($"Database migrated: {applied} migration(s) applied.");
        return 0;
    }
}
