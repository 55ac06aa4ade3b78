using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>
/// Schema-driven fuzzing (Schemathesis's checks, built from NuGet): FsCheck generates requests
/// for every operation of the service's own OpenAPI document, with valid, boundary and mutated
/// values for every parameter and body field, and each answer must be no 5xx, a declared
/// status, problem+json for every 4xx, a body that conforms to the schema for every 2xx, and a
/// refused request (or any GET) must leave the database exactly as it was. The service runs on
/// real Kestrel (so body and header limits apply) over its own SQLite file, worker off.
/// Every seed that once found a violation (<see cref="RegressionSeeds"/>) is replayed first, then
/// a run with a new random seed. ORCHRUN_FUZZ_CASES sets the number of cases of the random run;
/// ORCHRUN_FUZZ_SEED replays a run.
/// </summary>
[Category("Fuzz")]
public sealed class SchemaFuzzTests
{
    /// <summary>Kestrel's request line limit in the service (DependencyInjection: MaxRequestLineSize).</summary>
    private const int RequestLineLimit = 16 * 1024;

    private OrchRunApiFactory _factory = null!;
    private HttpClient _http = null!;
    private OrchRunApiClient _api = null!;
    private DatabaseProbe _probe = null!;
    private FuzzPool _pool = null!;
    private IReadOnlyList<ApiOperation> _operations = [];
    private Dictionary<FuzzAuth, string?> _tokens = [];

    [OneTimeSetUp]
    public async Task StartServiceAndSeedData()
    {
        _factory = new OrchRunApiFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        using (var probeClient = _factory.CreateClient())
        {
            var handler = new SocketsHttpHandler
            {
                // Let non-ASCII header values through as UTF-8, as a hostile client would send them.
                RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
                AllowAutoRedirect = false,
            };
            _http = new HttpClient(handler) { BaseAddress = probeClient.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        }

        _operations = await ApiDescription.LoadAsync(_http);
        _probe = new DatabaseProbe(_factory.DatabasePath);
        _tokens = new Dictionary<FuzzAuth, string?>
        {
            [FuzzAuth.Valid] = Tokens.For("fuzzer", "*"),
            [FuzzAuth.None] = null,
            [FuzzAuth.Garbage] = "not.a.jwt",
            [FuzzAuth.Expired] = Tokens.Expired("fuzzer"),
            [FuzzAuth.WrongKey] = Tokens.SignedWithAnotherKey("fuzzer"),
            [FuzzAuth.OtherNamespaceOnly] = Tokens.For("fuzzer", "zz_nobody"),
        };
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        _probe?.Dispose();
        _http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>Each fuzz run has a client for its own namespace.</summary>
    [TearDown]
    public void DisposeRunClient() => _api?.Dispose();

    [Test]
    public void OperationsAreReadFromTheOpenApiDocument()
    {
        Assert.That(_operations.Select(o => o.OperationId), Is.SupersetOf(new[]
        {
            "OrchRuns_List", "OrchRuns_Get", "OrchRuns_GetLogs", "OrchRuns_Create", "OrchRuns_Cancel", "OrchRuns_Delete", "OrchRuns_Rerun",
            "Orchestrators_List", "Orchestrators_Get", "Orchestrators_Create", "Orchestrators_Update", "Orchestrators_Delete",
            "Secrets_List", "Secrets_Get", "Secrets_Put", "Secrets_Delete",
            "Schedules_List", "Schedules_Get", "Schedules_History", "Schedules_Create", "Schedules_Update", "Schedules_Delete",
        }));
    }

    /// <summary>The checks can fail: answers that break the schema or the problem shape are caught.</summary>
    [Test]
    public void Checks_WhenAnswersBreakTheContract_ReportViolations()
    {
        var list = _operations.Single(o => o.OperationId == "OrchRuns_List");
        var get = _operations.Single(o => o.OperationId == "OrchRuns_Get");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ResponseChecks.Check(list, HttpStatusCode.OK, "application/json", """{"_offset":0,"_pageSize":20,"_total":0,"_list":[]}"""), Is.Empty);
            Assert.That(ResponseChecks.Check(list, HttpStatusCode.OK, "application/json", """{"_offset":0}"""), Is.Not.Empty, "required fields missing");
            Assert.That(ResponseChecks.Check(list, HttpStatusCode.OK, "application/json", """{"_offset":0,"_pageSize":20,"_total":0,"_list":[],"extra":1}"""), Is.Not.Empty, "undeclared field");
            Assert.That(ResponseChecks.Check(get, HttpStatusCode.OK, "application/json", """[{"id":"x"}]"""), Is.Not.Empty, "a run without its fields");
            Assert.That(ResponseChecks.Check(get, HttpStatusCode.InternalServerError, "application/problem+json", """{"type":"urn:orchrun:problem:internal","status":500,"detail":"x"}"""), Is.Not.Empty, "5xx");
            Assert.That(ResponseChecks.Check(get, HttpStatusCode.NotFound, "application/json", """{"type":"urn:orchrun:problem:not-found","status":404,"detail":"x"}"""), Is.Not.Empty, "4xx not problem+json");
            Assert.That(ResponseChecks.Check(get, HttpStatusCode.NotFound, "application/problem+json", """{"type":"about:blank","status":404,"detail":"x"}"""), Is.Not.Empty, "foreign problem type");
            Assert.That(ResponseChecks.Check(get, HttpStatusCode.Conflict, "application/problem+json", """{"type":"urn:orchrun:problem:conflict","status":409,"detail":"x"}"""), Is.Not.Empty, "undeclared status");
        }
    }

    /// <summary>Seeds that found a violation once, replayed before any new seed (regression-seeds.txt).</summary>
    [TestCaseSource(typeof(RegressionSeeds), nameof(RegressionSeeds.Cases))]
    public void EveryOperation_UnderASeedThatOnceFoundAViolation_KeepsTheContractAndRefusalsChangeNothing(RegressionSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        TestContext.Out.WriteLine($"regression seed {seed.Seed} (found at {seed.Commit}: {seed.Found})");
        Fuzz(seed.Seed, seed.Cases, regression: true);
    }

    /// <summary>A new random seed each run (it finds new bugs), after the regression seeds whatever their outcome.</summary>
    [Test]
    [DependsOnTest(nameof(EveryOperation_UnderASeedThatOnceFoundAViolation_KeepsTheContractAndRefusalsChangeNothing), AllowFailure = true)]
    public void EveryOperation_UnderGeneratedInput_KeepsTheContractAndRefusalsChangeNothing()
    {
        Fuzz(ReliabilitySettings.FuzzSeed ?? (ulong)Random.Shared.NextInt64(1, long.MaxValue), ReliabilitySettings.FuzzCases, regression: false);
    }

    /// <summary>
    /// One fuzz run on fresh namespaces seeded as at start-up, so that a seed meets the data it
    /// met when it was found, whichever runs came before it.
    /// </summary>
    private void Fuzz(ulong seed, int cases, bool regression)
    {
        TestContext.Out.WriteLine($"fuzz: {cases} cases, seed {seed} (ORCHRUN_FUZZ_SEED={seed} ORCHRUN_FUZZ_CASES={cases} replays this run)");
        _pool = new FuzzPool(TestNamespace.New(), TestNamespace.New());
        _api = _factory.CreateApiClient(_pool.Namespace);
        SeedAsync(includeOtherNamespace: true).GetAwaiter().GetResult();

        var stats = new FuzzStatistics();
        var generator = new RequestGenerator(_operations, _pool);
        var clock = Stopwatch.StartNew();
        var property = Prop.ForAll(generator.Arbitrary(), request => Execute(request, stats));
        var config = Config.Quick
            .WithMaxTest(cases)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        Check.One(config, property);
        clock.Stop();

        TestContext.Out.WriteLine(stats.Describe());
        Figures.Record(regression ? "fuzz-regression-seed" : "fuzz", new Dictionary<string, object?>
        {
            ["cases"] = stats.Cases,
            ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["operations"] = stats.ByOperation,
            ["statuses"] = stats.ByStatus,
            ["kinds"] = stats.ByKind,
            ["checked_no_5xx"] = stats.Cases,
            ["checked_4xx_problem"] = stats.ClientErrors,
            ["checked_2xx_schema"] = stats.Successes,
            ["checked_refusal_unchanged"] = stats.UnchangedChecks,
            ["protocol_rejections"] = stats.ProtocolRejections,
            ["protocol_rejections_unread"] = stats.ProtocolRejectionsUnread,
            ["violations"] = stats.ViolationCount,
        });

        Assert.That(stats.Cases, Is.EqualTo(cases));
        Assert.That(stats.ByOperation.Keys, Is.EquivalentTo(_operations.Select(o => o.OperationId)), "every operation was exercised");
        Assert.That(stats.ViolationCount, Is.Zero, $"seed {seed}: " + stats.DescribeViolations());
    }

    private void Execute(FuzzRequest request, FuzzStatistics stats)
    {
        stats.Cases++;
        if (stats.Cases % 50 == 0)
        {
            Housekeeping(stats.Cases);
        }

        var before = _probe.Fingerprint();
        int status;
        string? mediaType;
        string body;
        bool protocolRejection;
        try
        {
            using var message = ToMessage(request);
            using var response = _http.Send(message);
            status = (int)response.StatusCode;
            mediaType = response.Content.Headers.ContentType?.MediaType;
            body = ReadBody(response);
            protocolRejection = ResponseChecks.IsProtocolRejection(response);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // A request line far over Kestrel's 16 KiB is answered 414 and the connection closed
            // while the client is still sending it; whether the client reads the 414 before the
            // reset is a TCP race. Anything else without an answer is a violation.
            if (e is HttpRequestException && Encoding.UTF8.GetByteCount(request.Url) > RequestLineLimit)
            {
                stats.ProtocolRejections++;
                stats.ProtocolRejectionsUnread++;
                return;
            }

            stats.Violation(request, $"no answer: {e.GetType().Name}: {e.Message}", string.Empty);
            return;
        }

        stats.Count(request, status);
        if (protocolRejection)
        {
            stats.ProtocolRejections++;
        }

        var violations = ResponseChecks.Check(request.Operation, (HttpStatusCode)status, mediaType, body, protocolRejection);
        if (status >= 400 || request.Operation.Method == HttpMethod.Get)
        {
            stats.UnchangedChecks++;
            var after = _probe.Fingerprint();
            if (after != before)
            {
                violations.Add($"{status} {(status >= 400 ? "refusal" : "GET")} changed the database: {before} -> {after}");
            }
        }

        foreach (var violation in violations)
        {
            stats.Violation(request, violation, body);
        }
    }

    private HttpRequestMessage ToMessage(FuzzRequest request)
    {
        var message = new HttpRequestMessage(request.Operation.Method, new Uri(_http.BaseAddress!, request.Url));
        if (_tokens[request.Auth] is { } token)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            // A large body waits for the server's go-ahead, as a careful client does: a request
            // refused early (a 414 request line, a 413 Content-Length) is then answered before the
            // upload, instead of the server closing the connection under a half-sent body.
            message.Headers.ExpectContinue = request.Body.Length > 64 * 1024 ? true : null;
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        return message;
    }

    private static string ReadBody(HttpResponseMessage response)
    {
        using var stream = response.Content.ReadAsStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Between cases (outside any before/after window): refresh the id pool and keep the namespace usable.</summary>
    private void Housekeeping(int done)
    {
        if (done % 250 == 0)
        {
            // Queued runs beyond a few are finished, so creates are not all refused by the queue limit.
            _probe.Execute($"""
                UPDATE OrchRuns SET Status = {(int)OrchRunStatus.Cancelled}, Version = Version + 1
                WHERE Namespace = '{_pool.Namespace}' AND Status = {(int)OrchRunStatus.Queued}
                  AND Id NOT IN (SELECT Id FROM OrchRuns WHERE Namespace = '{_pool.Namespace}' AND Status = {(int)OrchRunStatus.Queued} ORDER BY CreatedAt DESC LIMIT 5)
                """);
            _pool.Refresh(_probe);
            if (_pool.OrchestratorIds.Count < 3 || _pool.LiveRunIds.Count < 3)
            {
                SeedAsync(includeOtherNamespace: false).GetAwaiter().GetResult();
            }
        }

        _pool.Refresh(_probe);
    }

    /// <summary>Orchestrators and runs in every state the API can be asked about, secrets, in both namespaces, and a few deleted ids.</summary>
    private async Task SeedAsync(bool includeOtherNamespace)
    {
        if (includeOtherNamespace)
        {
            using var other = _factory.CreateApiClient(_pool.OtherNamespace);
            var otherOrchestrator = await other.CreateOrchestratorAsync("Other namespace orch");
            await other.CreateRunAsync(OrchRunApiClient.IdOf(otherOrchestrator));
            await CreateScheduleAsync(other, OrchRunApiClient.IdOf(otherOrchestrator));
        }

        for (var o = 0; o < 3; o++)
        {
            var orchestrator = await _api.CreateOrchestratorAsync($"Fuzz orch {o}", stepCount: o + 1);
            var id = OrchRunApiClient.IdOf(orchestrator);
            var stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
            await CreateScheduleAsync(_api, id);
            for (var r = 0; r < 3; r++)
            {
                var run = await _api.CreateRunAsync(id, [new JsonObject { ["sequence_type_id"] = stepId, ["params"] = new JsonObject { ["_fileId"] = "f" + r } }]);
                var runId = OrchRunApiClient.IdOf(run);
                switch (r)
                {
                    case 1:
                        await _factory.SetRunStatusAsync(runId, OrchRunStatus.Completed);
                        await _factory.AddLogLinesAsync(runId, [(RunLogLevel.Info, "Orch run execution has begun"), (RunLogLevel.Info, "Fuzz line \"quoted\" \\ 😀"), (RunLogLevel.Info, "Orch run has ended. Closing up file log stream")], lastIsEnd: true);
                        break;
                    case 2:
                        await _factory.SetRunStatusAsync(runId, o % 2 == 0 ? OrchRunStatus.Failed : OrchRunStatus.Cancelled);
                        break;
                }
            }
        }

        // Secrets the path's name can find (and replace or delete), and one another namespace owns.
        foreach (var name in new[] { "fz-token", "fz-other", "fz.db_password" })
        {
            using (await _api.Http.PutAsync(_api.Url(OrchRunApiClient.BasePath + "/secret/" + name), OrchRunApiClient.Json("{\"_value\":\"fuzz-secret-value\"}")))
            {
            }
        }

        if (includeOtherNamespace)
        {
            using var other = _factory.CreateApiClient(_pool.OtherNamespace);
            using (await other.Http.PutAsync(other.Url(OrchRunApiClient.BasePath + "/secret/fz-token"), OrchRunApiClient.Json("{\"_value\":\"other-namespace-value\"}")))
            {
            }
        }

        // Ids that existed and are gone.
        var doomed = await _api.CreateOrchestratorAsync("Doomed orch");
        var doomedRun = await _api.CreateRunAsync(OrchRunApiClient.IdOf(doomed));
        _pool.Refresh(_probe);
        using (await _api.DeleteRunAsync(OrchRunApiClient.IdOf(doomedRun)))
        using (await _api.DeleteOrchestratorAsync(OrchRunApiClient.IdOf(doomed)))
        {
        }

        _pool.Refresh(_probe);
    }

    private static async Task CreateScheduleAsync(OrchRunApiClient api, string orchestratorId)
    {
        var body = new JsonObject { ["orchestratorId"] = orchestratorId, ["_cron"] = "0 * * * *", ["_actualparams"] = new JsonArray() };
        using var response = await api.Http.PostAsync(api.Url(OrchRunApiClient.BasePath + "/schedule"), OrchRunApiClient.Json(body));
        await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);
    }
}
