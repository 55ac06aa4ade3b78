using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using OrchRunService.Api.Auth;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Auth;

/// <summary>The Development signing key and the token verb stay in Development.</summary>
public sealed class DevelopmentCredentialsTests
{
    [TestCase("Production")]
    [TestCase("Testing")]
    public void Start_WhenTheDevelopmentKeyIsUsedOutsideDevelopment_FailsSayingWhatToSet(string environment)
    {
        using var services = AuthenticationServices(environment);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(failure!.Message, Does.Contain("Auth:SigningKey is the Development key").And.Contain("set Auth:SigningKey to a secret of your own"));
    }

    [Test]
    public void Start_WhenTheDevelopmentKeyIsUsedInDevelopment_Starts()
    {
        using var services = AuthenticationServices(Environments.Development);

        Assert.DoesNotThrow(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    /// <summary>The host runs this validation at start-up (ValidateOnStart); Program prints its message and exits 1.</summary>
    private static ServiceProvider AuthenticationServices(string environment)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(Environment(environment));
        services.AddOrchRunAuthentication(DevelopmentConfiguration());
        return services.BuildServiceProvider();
    }

    [Test]
    public void DevelopmentSigningKey_IsTheKeyInAppSettingsDevelopment()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "Api", "appsettings.Development.json");

        var key = JsonNode.Parse(File.ReadAllText(path))!["Auth"]!["SigningKey"]!.GetValue<string>();

        Assert.That(key, Is.EqualTo(AuthOptions.DevelopmentSigningKey), "the start-up check must know the key it refuses");
    }

    [TestCase("Production")]
    [TestCase("Staging")]
    [TestCase("Testing")]
    public void TokenVerb_WhenNotInDevelopment_RefusesAndPrintsNoToken(string environment)
    {
        using var output = new StringWriter();

        var exitCode = TokenCommand.Run(["token", "--user", "alice", "--namespace", "*"], DevelopmentConfiguration(), Environment(environment), output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output.ToString(), Does.StartWith("The token verb only runs in Development").And.Not.Contain("eyJ"));
        }
    }

    [Test]
    public void TokenVerb_WhenInDevelopment_PrintsAToken()
    {
        using var output = new StringWriter();

        var exitCode = TokenCommand.Run(["token", "--user", "alice", "--namespace", "*"], DevelopmentConfiguration(), Environment(Environments.Development), output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output.ToString().TrimEnd().Split('\n')[^1], Does.StartWith("eyJ"));
        }
    }

    private static IConfiguration DevelopmentConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Auth:Issuer"] = "orchrun-dev",
        ["Auth:Audience"] = "orchrun",
        ["Auth:SigningKey"] = AuthOptions.DevelopmentSigningKey,
    }).Build();

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrchRun.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrchRun.sln not found above the test directory.");
    }
}
