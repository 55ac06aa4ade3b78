using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ProcessTests;

/// <summary>
/// Issue 14 section 2 end to end: secrets planted with distinctive values, used by http_request
/// steps in a header and in the URL's query, run by the real service against a loopback server.
/// The server receives the values; no API answer, run log, log follow, status message, result
/// or line of the service's own log shows them.
/// </summary>
[NonParallelizable]
public sealed class SecretsEndToEndTests : ProcessTestBase
{
    private const string HttpRequestConnectorId = "3c9a5b1e-8f2d-4a6b-9e7c-1d2f3a4b5c6d";

    private readonly ConcurrentQueue<(string PathAndQuery, string? ApiKey)> _received = new();
    private HttpListener _server = null!;
    private int _serverPort;
    private Task _serving = Task.CompletedTask;

    [SetUp]
    public void StartLoopbackServer()
    {
        _serverPort = LoopbackPorts.Free();
        _server = new HttpListener();
        _server.Prefixes.Add($"http://127.0.0.1:{_serverPort}/");
        _server.Start();
        _serving = Task.Run(ServeAsync);
    }

    [TearDown]
    public async Task Stop()
    {
        _server.Stop();
        _server.Close();
        await _serving;
        await StopAllAsync();
    }

    [Test]
    public async Task Run_WhenStepsUseSecretsInAHeaderAndTheUrlQuery_TheServerGetsThemAndNoSurfaceShowsThem()
    {
        var headerValue = "hdr-" + Guid.NewGuid().ToString("N");
        var queryValue = "qry-" + Guid.NewGuid().ToString("N");
        UseNewDatabase();
        var settings = BaseSettings();
        settings["Connectors__HttpRequest__AllowPrivateNetworks"] = "true";
        var node = (await StartAsync(settings, "secrets-node"))[0];
        var ns = NewNamespace("secrets");
        var answers = new List<string>();

        answers.Add(await PutSecretAsync(node, ns, "api-key", headerValue, HttpStatusCode.Created));
        answers.Add(await PutSecretAsync(node, ns, "hook-url", $"http://127.0.0.1:{_serverPort}/hook?token={queryValue}", HttpStatusCode.Created));
        var secretRef = (Func<string, JsonObject>)(name => new JsonObject { ["$secret"] = name });
        var orchestrator = new JsonObject
        {
            ["_name"] = "secrets e2e",
            ["steps"] = new JsonArray(
                Step("plain", new JsonObject { ["url"] = $"http://bob:plain-pw-77@127.0.0.1:{_serverPort}/plain?token=plain-q-77&page=2" }),
                Step("call", new JsonObject { ["url"] = secretRef("hook-url"), ["headers"] = new JsonObject { ["X-Api-Key"] = secretRef("api-key") } }),
                Step("check", new JsonObject
                {
                    ["url"] = secretRef("hook-url"),
                    ["headers"] = new JsonObject { ["X-Api-Key"] = secretRef("api-key") },
                    ["expectedStatusCodes"] = new JsonArray(299),
                })),
        };
        var orchestratorAnswer = await SendAsync(node, HttpMethod.Post, $"/datasourcesvc/api/v1/orchestrator?nsfilter={ns}", orchestrator.ToJsonString(), HttpStatusCode.OK);
        answers.Add(orchestratorAnswer);
        var orchestratorId = JsonNode.Parse(orchestratorAnswer)!["id"]!.GetValue<string>();
        var created = await SendAsync(node, HttpMethod.Post, $"/datasourcesvc/api/v1/orchrun?nsfilter={ns}", new JsonObject { ["orchestratorId"] = orchestratorId, ["_actualparams"] = new JsonArray() }.ToJsonString(), HttpStatusCode.OK);
        answers.Add(created);
        var runId = JsonNode.Parse(created)!["id"]!.GetValue<string>();

        var run = await new OrchRunApi(node.Http, ns).WaitForStatusAsync(runId, Patience, "COMPLETED", "FAILED");
        answers.Add(await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/orchrun/{runId}?nsfilter={ns}", null, HttpStatusCode.OK));
        answers.Add(await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/orchrun?nsfilter={ns}", null, HttpStatusCode.OK));
        var log = await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/orchrun/logs/{runId}?nsfilter={ns}", null, HttpStatusCode.OK);
        answers.Add(log);
        answers.Add(await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/orchrun/logs/{runId}?nsfilter={ns}&follow=true", null, HttpStatusCode.OK, "application/x-ndjson"));
        answers.Add(await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/secret?nsfilter={ns}", null, HttpStatusCode.OK));
        answers.Add(await SendAsync(node, HttpMethod.Get, $"/datasourcesvc/api/v1/secret/api-key?nsfilter={ns}", null, HttpStatusCode.OK));
        await Task.Delay(500); // NLog writes asynchronously: let the last lines reach stdout.
        var serviceLog = node.Output;

        var steps = run["orchrunsteps"]!.AsArray();
        var logText = JsonNode.Parse(log)!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("FAILED"), "the check step expects 299");
            Assert.That(steps.Select(s => s!["_status"]!.GetValue<string>()), Is.EqualTo(new[] { "COMPLETED", "COMPLETED", "FAILED" }));
            Assert.That(_received.Select(r => r.PathAndQuery), Has.Exactly(2).EqualTo($"/hook?token={queryValue}"), "the server got the URL secret");
            Assert.That(_received.Where(r => r.PathAndQuery.StartsWith("/hook", StringComparison.Ordinal)).Select(r => r.ApiKey), Is.All.EqualTo(headerValue), "the server got the header secret");
            Assert.That(steps[1]!["_actualparams"]!.GetValue<string>() + steps[1]!["_runparams"]!.GetValue<string>(), Does.Contain("\"$secret\":\"api-key\""), "params keep the reference");
            Assert.That(steps[2]!["_statusmsg"]!.GetValue<string>(), Does.Contain($"http://127.0.0.1:{_serverPort}/hook?token=***"));
            Assert.That(run["_result"]!.GetValue<string>(), Does.Contain("token=***"));
            Assert.That(logText, Does.Contain($"http://***@127.0.0.1:{_serverPort}/plain?token=***&page=***"), "user-info and query values of a plain URL are masked in the log");
            foreach (var value in new[] { headerValue, queryValue })
            {
                Assert.That(answers, Has.All.Not.Contain(value), "no API answer shows a secret");
                Assert.That(serviceLog, Does.Not.Contain(value), "the service's own log shows no secret");
            }

            foreach (var plain in new[] { "plain-pw-77", "plain-q-77" })
            {
                Assert.That(logText, Does.Not.Contain(plain), "the run log shows no user-info or query value");
                Assert.That(serviceLog, Does.Not.Contain(plain), "the service's log shows no user-info or query value");
            }

            Assert.That(serviceLog, Does.Contain("\"level\""), "the service's log was captured");
        }
    }

    [Test]
    public async Task Run_WhenItsStepRefersToASecretOfAnotherNamespace_FailsSayingItDoesNotExistAndSendsNothing()
    {
        UseNewDatabase();
        var settings = BaseSettings();
        settings["Connectors__HttpRequest__AllowPrivateNetworks"] = "true";
        var node = (await StartAsync(settings, "secrets-node"))[0];
        var owner = NewNamespace("owner");
        var other = NewNamespace("other");
        await PutSecretAsync(node, owner, "api-key", "owner-only-value", HttpStatusCode.Created);
        var orchestrator = new JsonObject
        {
            ["_name"] = "borrow",
            ["steps"] = new JsonArray(Step("call", new JsonObject
            {
                ["url"] = $"http://127.0.0.1:{_serverPort}/hook",
                ["headers"] = new JsonObject { ["X-Api-Key"] = new JsonObject { ["$secret"] = "api-key" } },
            })),
        };
        var orchestratorId = JsonNode.Parse(await SendAsync(node, HttpMethod.Post, $"/datasourcesvc/api/v1/orchestrator?nsfilter={other}", orchestrator.ToJsonString(), HttpStatusCode.OK))!["id"]!.GetValue<string>();
        var runId = JsonNode.Parse(await SendAsync(node, HttpMethod.Post, $"/datasourcesvc/api/v1/orchrun?nsfilter={other}", new JsonObject { ["orchestratorId"] = orchestratorId, ["_actualparams"] = new JsonArray() }.ToJsonString(), HttpStatusCode.OK))!["id"]!.GetValue<string>();

        var run = await new OrchRunApi(node.Http, other).WaitForStatusAsync(runId, Patience, "COMPLETED", "FAILED");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run["_status"]!.GetValue<string>(), Is.EqualTo("FAILED"));
            Assert.That(run["orchrunsteps"]![0]!["_statusmsg"]!.GetValue<string>(), Does.StartWith($"secret 'api-key' does not exist in namespace '{other}'"));
            Assert.That(_received, Is.Empty, "the step never called the server");
        }
    }

    private static JsonObject Step(string name, JsonObject parameters) => new()
    {
        ["_name"] = name,
        ["_compid"] = HttpRequestConnectorId,
        ["_params"] = parameters,
    };

    private static Task<string> PutSecretAsync(ApiProcess node, string ns, string name, string value, HttpStatusCode expected) =>
        SendAsync(node, HttpMethod.Put, $"/datasourcesvc/api/v1/secret/{name}?nsfilter={ns}", new JsonObject { ["_value"] = value }.ToJsonString(), expected);

    private static async Task<string> SendAsync(ApiProcess node, HttpMethod method, string path, string? json, HttpStatusCode expected, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{method} {path}: {text}");
        return text;
    }

    private async Task ServeAsync()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _received.Enqueue((context.Request.Url!.PathAndQuery, context.Request.Headers["X-Api-Key"]));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
