namespace OrchRunService.Api.FunctionalTests.Support;

/// <summary>A test against the shared API, with a client for a namespace of its own per test.</summary>
public abstract class ApiTestBase
{
    private OrchRunApiClient? _api;

    protected static OrchRunApiFactory Factory => SharedApi.Factory;

    protected OrchRunApiClient Api => _api ?? throw new InvalidOperationException("The client is created in SetUp.");

    [SetUp]
    public void CreateClient() => _api = Factory.CreateApiClient();

    [TearDown]
    public void DisposeClient()
    {
        _api?.Dispose();
        _api = null;
    }
}
