namespace OrchRunService.Api.CommandLine;

/// <summary><c>--help</c>: the verbs and the main options, so a newcomer need not read the code.</summary>
public static class HelpCommand
{
    public static bool IsInvoked(string[] args) =>
        args.Length > 0 && args[0] is "--help" or "-h" or "help" or "-?";

    public static int Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("""
            OrchRun: the orchestrator-run REST API and its worker.

            usage:
              OrchRunService.Api [options]        run the service (dotnet run --project src/Api [-- options])
              OrchRunService.Api token --user <id> --namespace <ns> [--namespace <ns> ...] [--hours <h>]
                                                  print a token signed with the configured Auth:SigningKey (Development)
              OrchRunService.Api migrate [options]
                                                  apply the database's pending migrations and exit
              OrchRunService.Api --help           print this help

            main options (any configuration key works as --Section:Key=value or the variable Section__Key):
              --urls <url>                        where to listen (default http://localhost:5080 with dotnet run)
              --environment <name>                Development (a signing key for the token verb) or Production
              --Database:Provider=<name>          Sqlite (default), Postgres or SqlServer
              --Database:MigrateOnStartup=<bool>  migrate when the service starts (default true)
              --ConnectionStrings:OrchRun=<cs>    the database (default: SQLite file data/orchrun.db)
              --Worker:Enabled=<bool>             run the worker in this process (default true)
              --Worker:MaxConcurrentRuns=<n>      runs this process executes at once (default 8)
              --Auth:Authority=<url>              OIDC issuer of an external identity provider
              --Auth:SigningKey=<key>             HS256 key of self-hosted tokens (with Auth:Issuer, Auth:Audience)

            every key: docs/configuration.md
            """);
        return 0;
    }
}
