using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests;

/// <summary>
/// One API (and SQLite file) shared by the fixtures that need no special configuration; they
/// stay apart by using a namespace each. Fixtures that change configuration make their own.
/// </summary>
[SetUpFixture]
public sealed class SharedApi
{
    private static OrchRunApiFactory? _factory;

    public static OrchRunApiFactory Factory =>
        _factory ?? throw new InvalidOperationException("The shared API is created by the set-up fixture.");

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new OrchRunApiFactory();

        // Start the host now, so the first test does not pay for it inside its own timing.
        _factory.CreateClient().Dispose();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }
    }
}
