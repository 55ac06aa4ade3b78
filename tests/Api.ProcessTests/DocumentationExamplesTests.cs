using System.Diagnostics;
using System.Text.RegularExpressions;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// The README's quick start is docs/examples/quickstart.sh: these tests run the script against
/// the built service and check that the README still carries its commands verbatim, so neither can rot.
/// </summary>
[NonParallelizable]
public sealed partial class DocumentationExamplesTests : ProcessTestBase
{
    private const string Namespace = "proj_demo";

    private static string ScriptPath => Path.Combine(RepositoryPaths.Root, "docs", "examples", "quickstart.sh");

    [TearDown]
    public async Task StopService() => await StopAllAsync();

    [Test]
    public void Readme_WhenComparedWithTheQuickstartScript_CarriesItsCommandsVerbatim()
    {
        var script = Section(File.ReadAllText(ScriptPath));
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");

        Assert.That(readme, Does.Contain("```bash\n" + script + "\n```"),
            "README.md's quick start block must be the section between the --8<-- markers of docs/examples/quickstart.sh");
    }

    [Test]
    public async Task QuickstartScript_WhenRunAgainstTheBuiltService_CompletesTheRunAndDeletesIt()
    {
        Assert.That(CommandExists("jq"), Is.True,
            "the documentation examples need jq: install it (apt-get install -y jq); .ci/run does so when it is missing");
        UseNewDatabase();
        var node = (await StartAsync(BaseSettings(), Guid.NewGuid().ToString()))[0];

        var (exitCode, output) = await RunScriptAsync(new Dictionary<string, string>
        {
            ["ORCHRUN_URL"] = node.BaseAddress.ToString().TrimEnd('/'),
            ["TOKEN"] = Tokens.For("alice", Namespace),
            ["NS"] = Namespace,
        });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Match(@"(?m)^run [0-9a-f-]{36}$"), output);
            Assert.That(output, Does.Contain("TestConnector_v1: Dummy loop has ended"), output);
            Assert.That(output, Does.Contain("Orch run has ended. Closing up file log stream"), output);
            Assert.That(output, Does.Contain("status COMPLETED"), output);
            Assert.That(output, Does.Contain("total 1"), output);
            Assert.That(output, Does.Contain("delete 204"), output);
        });
    }

    private static string Section(string script)
    {
        var match = QuickstartSection().Match(script.ReplaceLineEndings("\n"));
        Assert.That(match.Success, Is.True, "quickstart.sh lost its --8<-- markers");
        return match.Groups["body"].Value.TrimEnd('\n');
    }

    private static bool CommandExists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [ScriptPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"# --8<-- \[start:quickstart\]\n(?<body>.*?)# --8<-- \[end:quickstart\]", RegexOptions.Singleline)]
    private static partial Regex QuickstartSection();
}
