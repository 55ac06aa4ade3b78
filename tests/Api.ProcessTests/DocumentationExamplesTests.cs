using System.Text.RegularExpressions;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Every curl example of the README and docs/ is a section of a script in docs/examples: these
/// tests run the scripts against the built service and check that the markdown still carries
/// their sections verbatim, so neither can rot.
/// </summary>
[NonParallelizable]
public sealed partial class DocumentationExamplesTests : ProcessTestBase
{
    private const string Namespace = "proj_demo";

    private static string ExamplesFolder => Path.Combine(RepositoryPaths.Root, "docs", "examples");

    [TearDown]
    public async Task StopService() => await StopAllAsync();

    [Test]
    public void MarkdownCurlExamples_WhenComparedWithTheExampleScripts_AreVerbatimSections()
    {
        var sections = Directory.GetFiles(ExamplesFolder, "*.sh")
            .SelectMany(script => Sections(File.ReadAllText(script)))
            .ToHashSet(StringComparer.Ordinal);
        var markdown = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Append(Path.Combine(RepositoryPaths.Root, "README.md"));

        var strays = markdown
            .SelectMany(file => BashBlocks().Matches(File.ReadAllText(file).ReplaceLineEndings("\n"))
                .Select(block => (File: Path.GetFileName(file), Body: block.Groups["body"].Value.TrimEnd('\n'))))
            .Where(block => block.Body.Contains("curl ", StringComparison.Ordinal) && !sections.Contains(block.Body))
            .Select(block => $"{block.File}: {block.Body.Split('\n')[0]}")
            .ToList();

        Assert.That(sections, Is.Not.Empty, "docs/examples/*.sh lost their --8<-- section markers");
        Assert.That(strays, Is.Empty, "these curl blocks are no verbatim section of a docs/examples script");
    }

    [Test]
    public async Task QuickstartScript_WhenRunAgainstTheBuiltService_CompletesTheRunAndDeletesIt()
    {
        Assert.That(CommandExists("jq"), Is.True,
            "the documentation examples need jq: install it (apt-get install -y jq); .ci/run does so when it is missing");
        UseNewDatabase();
        var node = (await StartAsync(BaseSettings(), Guid.NewGuid().ToString()))[0];

        var (exitCode, output) = await RunScriptAsync("quickstart.sh", new Dictionary<string, string>
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

    [Test]
    public async Task ApiGuideScript_WhenRunAgainstTheBuiltService_ShowsEachFeature()
    {
        Assert.That(CommandExists("jq"), Is.True,
            "the documentation examples need jq: install it (apt-get install -y jq); .ci/run does so when it is missing");
        UseNewDatabase();
        const string scrapeToken = "docs-scrape-token-0123456789";
        var settings = BaseSettings();
        settings["Metrics__BearerToken"] = scrapeToken;
        var node = (await StartAsync(settings, Guid.NewGuid().ToString()))[0];

        var (exitCode, output) = await RunScriptAsync("api-guide.sh", new Dictionary<string, string>
        {
            ["ORCHRUN_URL"] = node.BaseAddress.ToString().TrimEnd('/'),
            ["TOKEN"] = Tokens.For("alice", Namespace),
            ["METRICS_TOKEN"] = scrapeToken,
            ["NS"] = Namespace,
        });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("\"end\":true"), output);
            Assert.That(output, Does.Contain("\"_rerunof\""), output);
            Assert.That(output, Does.Contain("Completed in run"), output);
            Assert.That(output, Does.Contain("urn:orchrun:problem:idempotency-key-reused"), output);
            Assert.That(output, Does.Contain("retry 2 of 2 after 1000 ms"), output);
            Assert.That(output, Does.Contain("\"_timezone\":\"Europe/Berlin\""), output);
            Assert.That(output, Does.Contain("{\"_enabled\":false,\"_nextfireat\":[]}"), output);
            Assert.That(output, Does.Contain("schedule delete 204"), output);
            Assert.That(output, Does.Contain("orchrun_runs_created_total"), output);
            Assert.That(output, Does.Contain("HTTP GET https://api.invalid/v1/items?page=***"), output);
            Assert.That(output, Does.Contain("\"Authorization\":{\"$secret\":\"api-token\"}"), output);
            Assert.That(output, Does.Contain("delete 204"), output);
            Assert.That(output, Does.Not.Contain("s3cr3t-t0ken"), output);
        });
    }

    private static IEnumerable<string> Sections(string script) =>
        ScriptSections().Matches(script.ReplaceLineEndings("\n")).Select(match => match.Groups["body"].Value.TrimEnd('\n'));

    private static bool CommandExists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("bash", [Path.Combine(ExamplesFolder, script)], environment, Patience);
        return (exitCode, stdout + stderr);
    }

    [GeneratedRegex(@"# --8<-- \[start:(?<name>[a-z-]+)\]\n(?<body>.*?)# --8<-- \[end:\k<name>\]", RegexOptions.Singleline)]
    private static partial Regex ScriptSections();

    [GeneratedRegex(@"^```bash\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex BashBlocks();
}
