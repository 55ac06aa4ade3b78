using System.Diagnostics;

namespace OrchRunService.TestSupport;

/// <summary>How <see cref="ServiceProcess"/> starts the service: which binary, with what arguments and environment.</summary>
public sealed class ServiceLaunch
{
    /// <summary>The entry assembly run with <c>dotnet</c>; the built service unless a host of it (the bench) is named.</summary>
    public string Dll { get; init; } = RepositoryPaths.ApiDll;

    /// <summary>Arguments before <c>--urls</c> (the bench's <c>serve</c> verb, say).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables of the process (configuration such as <c>Worker__LeaseSeconds</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The loopback port; a free one when null.</summary>
    public int? Port { get; init; }

    /// <summary>Where stdout and stderr are written besides memory; nowhere when null.</summary>
    public string? LogPath { get; init; }

    /// <summary>
    /// Builds the start info from the program and its arguments; the default runs them as they
    /// are. The bench wraps them to pin the service to a core.
    /// </summary>
    public Func<string, IReadOnlyList<string>, ProcessStartInfo> StartInfo { get; init; } = Plain;

    /// <summary>Self-hosted tokens, SQLite and rate limiting off, as every test service outside Development starts.</summary>
    public static Dictionary<string, string> ProductionSettings(string databasePath) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Auth__SigningKey"] = OrchRunApiFactory.Auth.SigningKey!,
        ["Auth__Issuer"] = OrchRunApiFactory.Auth.Issuer!,
        ["Auth__Audience"] = OrchRunApiFactory.Auth.Audience!,
        ["ConnectionStrings__OrchRun"] = $"Data Source={databasePath}",
        ["RateLimit__Enabled"] = "false",
    };

    private static ProcessStartInfo Plain(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
