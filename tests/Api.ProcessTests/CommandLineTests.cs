using System.Net;
using System.Net.Sockets;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>The built binary's command line as a newcomer meets it: --help, and a port already taken.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Help_WhenAsked_ListsTheVerbsAndMainOptionsAndExitsZero()
    {
        var (exitCode, stdout, _) = await RunAsync(["--help"]);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout);
            Assert.That(stdout, Does.Contain("token --user"), stdout);
            Assert.That(stdout, Does.Contain("migrate"), stdout);
            Assert.That(stdout, Does.Contain("--urls"), stdout);
            Assert.That(stdout, Does.Contain("--Database:Provider"), stdout);
            Assert.That(stdout, Does.Contain("--help"), stdout);
        });
    }

    [Test]
    public async Task Start_WhenThePortIsInUse_SaysSoInOneLineAndExitsNonZero()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var folder = Path.Combine(Path.GetTempPath(), "orchrun-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var environment = ServiceLaunch.ProductionSettings(Path.Combine(folder, "orchrun.db"));
            environment["Worker__Enabled"] = "false";

            var (exitCode, _, stderr) = await RunAsync(["--urls", $"http://127.0.0.1:{port}"], environment);

            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.Not.Zero, stderr);
                Assert.That(lines, Has.Length.EqualTo(1), stderr);
                Assert.That(stderr, Does.Contain("--urls"), stderr);
                Assert.That(stderr, Does.Not.Contain("   at "), stderr);
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.RunAsync("dotnet", [RepositoryPaths.ApiDll, .. arguments], environment, Patience);
}
