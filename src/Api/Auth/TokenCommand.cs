using System.Globalization;

namespace OrchRunService.Api.Auth;

/// <summary>
/// <c>dotnet run --project src/Api -- token --user alice --namespace proj_A [--namespace ...] [--hours 8]</c>:
/// prints a token signed with the configured key as the last line, then exits.
/// </summary>
public static class TokenCommand
{
    public const string Verb = "token";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Verb;

    public static int Run(string[] args, IConfiguration configuration, IHostEnvironment environment, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);

        // Outside Development tokens come from the identity provider or the operator's own issuer:
        // a verb that mints any user's token for any namespace must not be one command away.
        if (!environment.IsDevelopment())
        {
            output.WriteLine($"The token verb only runs in Development (ASPNETCORE_ENVIRONMENT=Development); this is '{environment.EnvironmentName}'.");
            return 2;
        }

        string? user = null;
        var namespaces = new List<string>();
        var hours = 8.0;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--user" when value is not null:
                    user = value;
                    i++;
                    break;
                case "--namespace" when value is not null:
                    namespaces.Add(value);
                    i++;
                    break;
                case "--hours" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h > 0:
                    hours = h;
                    i++;
                    break;
                default:
                    return Usage(output, $"Unexpected argument '{args[i]}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(user) || namespaces.Count == 0)
        {
            return Usage(output, "--user and at least one --namespace are required.");
        }

        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (!options.UsesSigningKey || options.Problem() is not null)
        {
            output.WriteLine("No usable Auth:SigningKey/Auth:Issuer/Auth:Audience is configured (Development has them in appsettings.Development.json).");
            return 2;
        }

        output.WriteLine($"Token for user '{user}', namespaces {string.Join(", ", namespaces)}, valid {hours} h:");
        output.WriteLine(DevelopmentTokenIssuer.Issue(options, user, namespaces, TimeSpan.FromHours(hours)));
        return 0;
    }

    private static int Usage(TextWriter output, string problem)
    {
        output.WriteLine(problem);
        output.WriteLine("usage: token --user <id> --namespace <ns> [--namespace <ns> ...] [--hours <h>]   (--namespace '*' grants all)");
        return 2;
    }
}
