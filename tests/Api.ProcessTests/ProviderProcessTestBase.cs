using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// A process-test fixture that runs once per provider (<c>[TestFixture(DatabaseProvider.X)]</c>):
/// every test gets a new database of that provider, and its processes are stopped afterwards.
/// </summary>
public abstract class ProviderProcessTestBase : ProcessTestBase
{
    private protected ProviderProcessTestBase(DatabaseProvider provider)
    {
        FixtureProvider = provider;
    }

    /// <summary>The provider this fixture instance runs on.</summary>
    private protected DatabaseProvider FixtureProvider { get; }

    [SetUp]
    public Task NewDatabase() => UseNewDatabaseAsync(FixtureProvider);

    [TearDown]
    public async Task StopProcesses() => await StopAllAsync();
}
