namespace OrchRunService.TestSupport;

/// <summary>Where the repository and the built service are, seen from the running test (or bench) assembly.</summary>
public static class RepositoryPaths
{
    private const string ApiDllName = "OrchRunService.Api.dll";

    public static string Root { get; } = FindRoot();

    /// <summary>The test assembly's configuration (Debug or Release), read from its output path.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    /// <summary>
    /// The service binary: <c>ORCHRUN_API_DLL</c>, else src/Api/bin/&lt;configuration&gt;/net10.0,
    /// else the copy beside the running assembly (the Api project is referenced, so it is there too).
    /// </summary>
    public static string ApiDll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("ORCHRUN_API_DLL") is { Length: > 0 } dll)
            {
                return Path.GetFullPath(dll);
            }

            var built = Path.Combine(Root, "src", "Api", "bin", Configuration, "net10.0", ApiDllName);
            var beside = Path.Combine(AppContext.BaseDirectory, ApiDllName);
            return File.Exists(built) || !File.Exists(beside) ? built : beside;
        }
    }

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
