using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>
/// Two APIs on real Kestrel (real HTTP: sockets, streaming, disconnects) for the features beyond
/// the seed: one with a worker that executes runs (log lines flushed every 100 ms), one without,
/// where runs stay QUEUED. Fixtures of this namespace share them, each in namespaces of its own.
/// </summary>
[SetUpFixture]
public sealed class BeyondTheSeedApis
{
    private static OrchRunApiFactory? _withWorker;
    private static OrchRunApiFactory? _queueing;

    /// <summary>Sees which requests the worker API is still serving.</summary>
    public static RequestTracker WorkerRequests { get; } = new();

    public static OrchRunApiFactory WithWorker => _withWorker ?? throw new InvalidOperationException("Started by the set-up fixture.");

    public static OrchRunApiFactory Queueing => _queueing ?? throw new InvalidOperationException("Started by the set-up fixture.");

    /// <summary>
    /// A client of <paramref name="factory"/> for <paramref name="namespace"/> that closes its
    /// connection when an answer is disposed before its end, as a browser or a killed process
    /// does (HttpClient's default first drains up to 1 MiB of the rest for 2 s to reuse it).
    /// </summary>
    public static OrchRunApiClient HangingUpClient(OrchRunApiFactory factory, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var configured = factory.CreateClient();
#pragma warning disable CA2000 // The HttpClient owns the handler and the OrchRunApiClient the HttpClient.
        var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = configured.BaseAddress };
#pragma warning restore CA2000
        http.DefaultRequestHeaders.Authorization = configured.DefaultRequestHeaders.Authorization;
        return new OrchRunApiClient(http, @namespace);
    }

    [OneTimeSetUp]
    public void StartApis()
    {
        _withWorker = new OrchRunApiFactory(
            new Dictionary<string, string?>
            {
                ["Worker:Enabled"] = "true",
                ["Worker:PollIntervalMs"] = "100",
                ["Worker:LogFlushIntervalMs"] = "100",
            },
            services => services.AddSingleton<IStartupFilter>(WorkerRequests));
        _withWorker.UseKestrel(0);
        _withWorker.StartServer();

        _queueing = new OrchRunApiFactory();
        _queueing.UseKestrel(0);
        _queueing.StartServer();
    }

    [OneTimeTearDown]
    public async Task StopApis()
    {
        if (_withWorker is not null)
        {
            await _withWorker.DisposeAsync();
            _withWorker = null;
        }

        if (_queueing is not null)
        {
            await _queueing.DisposeAsync();
            _queueing = null;
        }
    }
}
