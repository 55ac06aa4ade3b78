using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Infrastructure.Connectors;
using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

/// <summary>
/// The connector cannot reach the service's own networks: every spelling of a forbidden address
/// is refused before a connection is opened (a connect hook counts the attempts, so no test sends
/// a packet to a non-loopback address), and the listening loopback server sees no request.
/// </summary>
public sealed class HttpRequestConnectorAddressTests
{
    private static readonly Guid RunId = Guid.Parse("5b0f3c1a-2d4e-4f60-8a7b-9c0d1e2f3a4b");

    // Test names: allowed.test and evil.test point at the loopback server, metadata.internal at the cloud metadata address.
    private static readonly Dictionary<string, IPAddress[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["allowed.test"] = [IPAddress.Loopback],
        ["evil.test"] = [IPAddress.Loopback],
        ["metadata.internal"] = [IPAddress.Parse("169.254.169.254")],
    };

    private WebApplication _server = null!;
    private int _port;
    private int _counted;
    private int _connects;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Map("/counted", () =>
        {
            Interlocked.Increment(ref _counted);
            return Results.Ok();
        });
        _server.Map("/redirect", (string to) => Results.Redirect(to));
        _server.Map("/loop", () => Results.Redirect("/loop"));
        await _server.StartAsync();
        _port = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void ResetCounts()
    {
        _counted = 0;
        _connects = 0;
    }

    [TestCase("127.0.0.1", "a loopback address")]
    [TestCase("localhost", "a loopback address")]
    [TestCase("[::1]", "a loopback address")]
    [TestCase("0.0.0.0", "an unspecified address")]
    [TestCase("2130706433", "a loopback address")]
    [TestCase("0x7f.1", "a loopback address")]
    [TestCase("[::ffff:127.0.0.1]", "a loopback address")]
    [TestCase("evil.test", "a loopback address")]
    public async Task ExecuteAsync_WhenTheAddressIsLoopbackInAnySpelling_RefusesBeforeConnecting(string host, string reason)
    {
        using var services = Services([]);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => Execute(services, $"http://{host}:{_port}/counted"));

        Assert.That(failure!.Message, Does.EndWith($"failed: the address of {Uri.UnescapeDataString(new Uri($"http://{host}/").Host)} is {reason}; ask an administrator to allow it."));
        Assert.That(_connects, Is.Zero);
        Assert.That(_counted, Is.Zero);
    }

    [TestCase("http://169.254.169.254/latest/meta-data/", "the address of 169.254.169.254 is a link-local address")]
    [TestCase("http://10.0.0.1:6379/", "the address of 10.0.0.1 is in a private network")]
    [TestCase("http://metadata.internal/computeMetadata/v1/", "the address of metadata.internal is a link-local address")]
    public async Task ExecuteAsync_WhenTheAddressIsInternal_RefusesWithoutAConnectAttempt(string url, string reason)
    {
        using var services = Services([]);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => Execute(services, url));

        Assert.That(failure!.Message, Does.EndWith($"failed: {reason}; ask an administrator to allow it."));
        Assert.That(_connects, Is.Zero);
    }

    [Test]
    public async Task ExecuteAsync_WhenAnAllowedHostRedirectsToAForbiddenOne_RefusesTheSecondHop()
    {
        using var services = Services(new() { ["Connectors:HttpRequest:AllowedHosts:0"] = "allowed.test" });
        var to = Uri.EscapeDataString($"http://evil.test:{_port}/counted");

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => Execute(services, $"http://allowed.test:{_port}/redirect?to={to}"));

        Assert.That(failure!.Message, Does.EndWith("failed: the address of evil.test is a loopback address; ask an administrator to allow it."));
        Assert.That(_connects, Is.EqualTo(1), "only the allowed first hop connects");
        Assert.That(_counted, Is.Zero);
    }

    [Test]
    public async Task ExecuteAsync_WhenTheHostIsAllowListedByName_ConnectsAndFollowsARedirectOnIt()
    {
        using var services = Services(new() { ["Connectors:HttpRequest:AllowedHosts:0"] = "allowed.test" });
        var to = Uri.EscapeDataString($"http://allowed.test:{_port}/counted");

        await Execute(services, $"http://allowed.test:{_port}/redirect?to={to}");

        Assert.That(_counted, Is.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheAddressIsInAnAllowedRange_Connects()
    {
        using var services = Services(new() { ["Connectors:HttpRequest:AllowedHosts:0"] = "127.0.0.0/8" });

        await Execute(services, $"http://127.0.0.1:{_port}/counted");

        Assert.That(_counted, Is.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_WhenRedirectedMoreThanFiveTimes_Fails()
    {
        using var services = Services(new() { ["Connectors:HttpRequest:AllowPrivateNetworks"] = "true" });

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => Execute(services, $"http://127.0.0.1:{_port}/loop"));

        Assert.That(failure!.Message, Does.EndWith("was redirected more than 5 times."));
    }

    private ServiceProvider Services(Dictionary<string, string?> settings) =>
        HttpRequestConnectorServices.Build(
            settings,
            (host, ct) => Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, ct),
            (endpoint, ct) =>
            {
                Interlocked.Increment(ref _connects);
                return IPAddress.IsLoopback(endpoint.Address)
                    ? GuardedConnection.OpenSocket(endpoint, ct)
                    : throw new InvalidOperationException($"The test tried to connect to {endpoint}.");
            });

    private static Task Execute(ServiceProvider services, string url)
    {
        var connector = services.GetServices<IConnector>().OfType<HttpRequestConnector>().Single();
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        return connector.ExecuteAsync(new ConnectorContext(RunId, "http_request", JsonSerializer.SerializeToElement(new { url }), log), CancellationToken.None);
    }
}
