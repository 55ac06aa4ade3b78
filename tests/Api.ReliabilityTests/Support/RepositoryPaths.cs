namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>Where the repository and the built service are, seen from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The test assembly's configuration (Debug or Release), read from its output path.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    /// <summary>The service binary: <c>ORCHRUN_API_DLL</c>, else src/Api/bin/&lt;configuration&gt;/net10.0.</summary>
    public static string ApiDll =>
        Environment.GetEnvironmentVariable("ORCHRUN_API_DLL") is { Length: > 0 } dll
            ? Path.GetFullPath(dll)
            : Path.Combine(Root, "src", "Api", "bin", Configuration, "net10.0", "OrchRunService.Api.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrchRun.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrchRun.sln not found above " + AppContext.BaseDirectory);
    }
}
