using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace OrchRunService.ArchitectureTests.Client;

/// <summary>
/// The committed TypeScript client (and the OpenAPI document it is generated from) must be what
/// nswag.json generates from the Api as built now: a renamed DTO field, a new response code or a
/// changed route fails here until <c>./build.sh client</c> is run and its output committed.
/// Only line endings are ignored.
/// </summary>
[TestFixture]
public sealed class GeneratedClientTests
{
    private static readonly string[] Artifacts = ["clients/typescript/src/orchrun-client.ts", "clients/typescript/openapi.json"];

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);

    [Test]
    public async Task CommittedClient_IsWhatNSwagGeneratesFromTheApi()
    {
        var root = RepositoryRoot();
        var temp = Directory.CreateTempSubdirectory("orchrun-client-");
        try
        {
            var client = Path.Combine(temp.FullName, "orchrun-client.ts");
            var openApi = Path.Combine(temp.FullName, "openapi.json");
            var configuration = typeof(GeneratedClientTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

            await RunDotnetAsync(root, "tool", "restore");
            await RunDotnetAsync(root, "nswag", "run", "nswag.json", $"/variables:Configuration={configuration},ClientOutput={client},OpenApiOutput={openApi}");

            using (Assert.EnterMultipleScope())
            {
                AssertSame(Path.Combine(root, Artifacts[0]), client);
                AssertSame(Path.Combine(root, Artifacts[1]), openApi);
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static void AssertSame(string committedPath, string generatedPath)
    {
        var name = Path.GetRelativePath(RepositoryRoot(), committedPath).Replace('\\', '/');
        Assert.That(File.Exists(committedPath), Is.True, $"{name} is missing: run ./build.sh client and commit it.");
        Assert.That(File.Exists(generatedPath), Is.True, $"nswag did not write {generatedPath}.");
        if (!File.Exists(committedPath) || !File.Exists(generatedPath))
        {
            return;
        }

        var committed = Lines(committedPath);
        var generated = Lines(generatedPath);
        var firstDifference = Enumerable.Range(0, Math.Max(committed.Length, generated.Length))
            .FirstOrDefault(i => i >= committed.Length || i >= generated.Length || committed[i] != generated[i], -1);
        Assert.That(
            firstDifference,
            Is.EqualTo(-1),
            () => $"{name} differs from what the Api generates now, first at line {firstDifference + 1}:\n"
                + $"  committed: {Line(committed, firstDifference)}\n"
                + $"  generated: {Line(generated, firstDifference)}\n"
                + "Run ./build.sh client (or dotnet nswag run nswag.json after a build) and commit the result.");
    }

    private static string[] Lines(string path) => File.ReadAllText(path, Encoding.UTF8).ReplaceLineEndings("\n").Split('\n');

    private static string Line(string[] lines, int index) => index < lines.Length ? lines[index] : "(end of file)";

    private static async Task RunDotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish within {ToolTimeout}.");
        }

        var output = await stdout + await stderr;
        Assert.That(process.ExitCode, Is.Zero, $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nswag.json")) && File.Exists(Path.Combine(dir.FullName, "OrchRun.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No repository root (nswag.json beside OrchRun.sln) above " + TestContext.CurrentContext.TestDirectory);
    }
}
