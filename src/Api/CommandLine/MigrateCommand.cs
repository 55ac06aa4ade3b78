namespace OrchRunService.Api.CommandLine;

/// <summary>
/// <c>migrate</c>: applies the configured database's pending migrations and exits, for
/// deployments that migrate before rolling out nodes started with Database:MigrateOnStartup=false.
/// </summary>
public static class MigrateCommand
{
    public const string Verb = "migrate";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <param name="migrate">Applies the pending migrations and returns how many there were.</param>
    /// <param name="output">Where the one-line result is written.</param>
    public static async Task<int> RunAsync(Func<Task<int>> migrate, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(migrate);
        ArgumentNullException.ThrowIfNull(output);
        var applied = await migrate();
        await output.WriteLineAsync($"Database migrated: {applied} migration(s) applied.");
        return 0;
    }
}
