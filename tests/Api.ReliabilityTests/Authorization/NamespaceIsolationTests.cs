using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.ReliabilityTests.Fuzzing;
using OrchRunService.Api.ReliabilityTests.Support;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Authorization;

/// <summary>
/// RESTler's namespace and use-after-free checkers, built here: two users, each with a token for
/// one namespace. Every operation of the OpenAPI document is tried with every id of the other
/// namespace (runs, their steps, orchestrators, their steps; secrets' names), through the caller's own namespace
/// (404, and the same 404 as for an id that never existed) and through the other one (403, the
/// same for ids that exist and ids that do not); lists and logs show nothing of the other
/// namespace; ids deleted by their owner answer 404 to every operation afterwards. None of it
/// changes the database.
/// </summary>
[Category("Authorization")]
public sealed class NamespaceIsolationTests
{
    private OrchRunApiFactory _factory = null!;
    private DatabaseProbe _probe = null!;
    private IReadOnlyList<ApiOperation> _operations = [];
    private Tenant _alice = null!;
    private Tenant _bob = null!;
    private int _probes;

    [OneTimeSetUp]
    public async Task CreateTwoTenants()
    {
        _factory = new OrchRunApiFactory();
        using (var anonymous = _factory.CreateClient())
        {
            _operations = await ApiDescription.LoadAsync(anonymous);
        }

        _probe = new DatabaseProbe(_factory.DatabasePath);
        _alice = await Tenant.CreateAsync(_factory, "alice");
        _bob = await Tenant.CreateAsync(_factory, "bob");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        Figures.Record("authorization", new Dictionary<string, object?> { ["probes"] = _probes, ["operations"] = _operations.Count });
        _alice?.Dispose();
        _bob?.Dispose();
        _probe?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task EveryOperation_WithTheOtherNamespacesIds_ThroughOwnNamespace_IsTheSame404AsAnUnknownId()
    {
        var before = _probe.Fingerprint();
        var failures = new List<string>();
        // PUT /secret/{name} in alice's namespace creates alice's own secret of that name (bob's
        // stays as it was): it is no probe of bob's secret, and it would change the database.
        foreach (var operation in _operations.Where(o => (o.HasPathId || o.HasPathName) && o.OperationId != "Secrets_Put"))
        {
            var unknown = await SendAsync(_alice, operation, Guid.NewGuid().ToString(), _alice.Namespace);
            foreach (var id in _bob.PathValuesFor(operation))
            {
                var answer = await SendAsync(_alice, operation, id, _alice.Namespace);
                Expect(failures, answer, operation, id, HttpStatusCode.NotFound);
                if (Normalise(answer.Body, id) != Normalise(unknown.Body, unknown.Id))
                {
                    failures.Add($"{operation} {id}: the 404 differs from an unknown id's: {answer.Body} vs {unknown.Body}");
                }

                ExpectNothingOf(_bob, failures, answer, operation, id);
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(_probe.Fingerprint(), Is.EqualTo(before), "the probes changed the database");
    }

    [Test]
    public async Task EveryOperation_ThroughTheOtherNamespace_Is403_ForIdsThatExistAndIdsThatDoNot()
    {
        var before = _probe.Fingerprint();
        var failures = new List<string>();
        foreach (var operation in _operations)
        {
            var ids = operation.HasPathId || operation.HasPathName ? _bob.PathValuesFor(operation).Append(Guid.NewGuid().ToString()).ToList() : [string.Empty];
            foreach (var id in ids)
            {
                var answer = await SendAsync(_alice, operation, id, _bob.Namespace);
                Expect(failures, answer, operation, id, HttpStatusCode.Forbidden);
                ExpectNothingOf(_bob, failures, answer, operation, id);
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(_probe.Fingerprint(), Is.EqualTo(before), "the probes changed the database");
    }

    [Test]
    public async Task BodiesReferringToTheOtherNamespace_AreRefused_AndChangeNothing()
    {
        var before = _probe.Fingerprint();
        var failures = new List<string>();
        var api = _alice.Api;

        // A run of bob's orchestrator, or of alice's with bob's step ids.
        await ExpectStatusAsync(failures, "create run of bob's orchestrator", api.PostRunAsync(_bob.OrchestratorId), HttpStatusCode.BadRequest);
        await ExpectStatusAsync(
            failures,
            "create run with bob's step id",
            api.PostRunAsync(_alice.OrchestratorId, [new JsonObject { ["sequence_type_id"] = _bob.OrchestratorStepIds[0], ["params"] = new JsonObject() }]),
            HttpStatusCode.BadRequest);

        // Alice's orchestrator redefined with bob's step ids.
        var body = OrchRunApiClient.OrchestratorBody("takeover");
        body["steps"]![0]!["id"] = _bob.OrchestratorStepIds[0];
        await ExpectStatusAsync(failures, "update with bob's step id", api.PutOrchestratorAsync(_alice.OrchestratorId, OrchRunApiClient.Json(body)), HttpStatusCode.BadRequest);

        // Cancel of alice's run naming bob's run in the body.
        await ExpectStatusAsync(failures, "cancel with bob's id in the body", api.CancelRunAsync(_alice.QueuedRunId, _bob.QueuedRunId), HttpStatusCode.BadRequest);

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(_probe.Fingerprint(), Is.EqualTo(before), "a refused request changed the database");
    }

    [Test]
    public async Task ListsAndLogs_ShowNothingOfTheOtherNamespace()
    {
        var failures = new List<string>();
        var texts = new List<(string What, string Text)>();
        foreach (var query in new[] { "_pageSize=1000", "_pageSize=1000&_status=QUEUED,RUNNING,REQUEST_CANCEL,COMPLETED,FAILED,CANCELLED", "_pageSize=1000&startDate=0" })
        {
            using var runs = await _alice.Api.ListRunsAsync(query);
            texts.Add(("runs " + query, await runs.Content.ReadAsStringAsync()));
            Assert.That(runs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var orchestrators = await _alice.Api.ListOrchestratorsAsync("_pageSize=1000"))
        {
            texts.Add(("orchestrators", await orchestrators.Content.ReadAsStringAsync()));
        }

        using (var secrets = await _alice.Api.Http.GetAsync(_alice.Api.Url(Tenant.SecretsPath, "_pageSize=1000")))
        {
            texts.Add(("secrets", await secrets.Content.ReadAsStringAsync()));
        }

        foreach (var run in _alice.RunIds)
        {
            using var logs = await _alice.Api.GetLogsAsync(run);
            texts.Add(("logs of " + run, await logs.Content.ReadAsStringAsync()));
            using var get = await _alice.Api.GetRunAsync(run);
            texts.Add(("run " + run, await get.Content.ReadAsStringAsync()));
        }

        foreach (var (what, text) in texts)
        {
            _probes++;
            foreach (var secret in _bob.Secrets)
            {
                if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{what} shows bob's '{secret}'");
                }
            }
        }

        var listed = JsonNode.Parse(texts[0].Text)!["_list"]!.AsArray().Select(r => OrchRunApiClient.IdOf(r!)).ToList();
        Assert.That(listed, Is.EquivalentTo(_alice.RunIds), "alice's list holds exactly her runs");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public async Task UseAfterDelete_EveryOperationOnDeletedIds_Is404_ForTheOwner_And403_ForOthers()
    {
        var owner = await Tenant.CreateAsync(_factory, "carol");
        try
        {
            // Deleted: one orchestrator, one queued run (of another orchestrator), one finished run with a log.
            var api = owner.Api;
            var deleted = new List<string> { owner.OrchestratorId, owner.QueuedRunId, owner.CompletedRunId };
            var deletedSecret = owner.SecretNames[0];
            using (var r1 = await api.DeleteRunAsync(owner.QueuedRunId))
            using (var r2 = await api.DeleteRunAsync(owner.CompletedRunId))
            using (var o = await api.DeleteOrchestratorAsync(owner.OrchestratorId))
            using (var s = await api.Http.DeleteAsync(api.Url($"{Tenant.SecretsPath}/{deletedSecret}")))
            {
                Assert.That(new[] { r1.StatusCode, r2.StatusCode, o.StatusCode, s.StatusCode }, Is.All.EqualTo(HttpStatusCode.NoContent));
            }

            var before = _probe.Fingerprint();
            var failures = new List<string>();
            foreach (var operation in _operations.Where(o => o.HasPathId))
            {
                foreach (var id in deleted)
                {
                    Expect(failures, await SendAsync(owner, operation, id, owner.Namespace), operation, id, HttpStatusCode.NotFound);
                    Expect(failures, await SendAsync(_bob, operation, id, owner.Namespace), operation, id, HttpStatusCode.Forbidden);
                }
            }

            // A deleted secret: gone for its owner (a PUT would create it anew), forbidden to others.
            foreach (var operation in _operations.Where(o => o.HasPathName))
            {
                if (operation.OperationId != "Secrets_Put")
                {
                    Expect(failures, await SendAsync(owner, operation, deletedSecret, owner.Namespace), operation, deletedSecret, HttpStatusCode.NotFound);
                }

                Expect(failures, await SendAsync(_bob, operation, deletedSecret, owner.Namespace), operation, deletedSecret, HttpStatusCode.Forbidden);
            }

            // Nothing of them is left, and nothing lists them.
            foreach (var run in new[] { owner.QueuedRunId, owner.CompletedRunId })
            {
                var rows = await _factory.CountRunRowsAsync(run) + await _factory.CountStepRowsAsync(run) + await _factory.CountLogLineRowsAsync(run);
                if (rows != 0)
                {
                    failures.Add($"run {run}: {rows} rows left after delete");
                }
            }

            // (Runs of the deleted orchestrator stay, and still name it as their _orchid.)
            using (var list = await api.ListRunsAsync("_pageSize=1000"))
            using (var orchestrators = await api.ListOrchestratorsAsync("_pageSize=1000"))
            {
                var runs = await list.Content.ReadAsStringAsync();
                var definitions = await orchestrators.Content.ReadAsStringAsync();
                failures.AddRange(new[] { owner.QueuedRunId, owner.CompletedRunId }.Where(id => runs.Contains(id, StringComparison.OrdinalIgnoreCase)).Select(id => $"deleted run {id} is still listed"));
                if (definitions.Contains(owner.OrchestratorId, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"deleted orchestrator {owner.OrchestratorId} is still listed");
                }
            }

            // A run of the deleted orchestrator cannot be created; its earlier runs stay readable.
            await ExpectStatusAsync(failures, "create run of a deleted orchestrator", api.PostRunAsync(owner.OrchestratorId), HttpStatusCode.BadRequest);
            await ExpectStatusAsync(failures, "a run of the deleted orchestrator", api.GetRunAsync(owner.FailedRunId), HttpStatusCode.OK);

            Assert.That(failures, Is.Empty, string.Join("\n", failures));
            Assert.That(_probe.Fingerprint(), Is.EqualTo(before), "probes of deleted ids changed the database");
        }
        finally
        {
            owner.Dispose();
        }
    }

    private static string Normalise(string body, string id) =>
        System.Text.RegularExpressions.Regex.Replace(body.Replace(id, "{id}", StringComparison.OrdinalIgnoreCase), "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    private void Expect(List<string> failures, Answer answer, ApiOperation operation, string id, HttpStatusCode expected)
    {
        _probes++;
        if (answer.Status != expected)
        {
            failures.Add($"{operation} {id} ns={answer.Namespace}: {(int)answer.Status}, expected {(int)expected}: {answer.Body}");
            return;
        }

        var problems = ResponseChecks.ProblemViolations((int)answer.Status, answer.MediaType, answer.Body).ToList();
        failures.AddRange(problems.Select(p => $"{operation} {id}: {p}"));
    }

    /// <summary>The answer shows nothing of <paramref name="other"/> beyond what the caller sent itself (the id and nsfilter).</summary>
    private static void ExpectNothingOf(Tenant other, List<string> failures, Answer answer, ApiOperation operation, string id)
    {
        var sent = new[] { id, answer.Namespace };
        foreach (var secret in other.Secrets.Where(s => !sent.Contains(s, StringComparer.OrdinalIgnoreCase) && answer.Body.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{operation} {id}: the answer shows '{secret}': {answer.Body}");
        }
    }

    private async Task ExpectStatusAsync(List<string> failures, string what, Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        _probes++;
        using var response = await send;
        if (response.StatusCode != expected)
        {
            failures.Add($"{what}: {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private sealed record Answer(string Id, string Namespace, HttpStatusCode Status, string? MediaType, string Body);

    /// <summary>The operation with <paramref name="id"/> in its path, through <paramref name="nsfilter"/>, with a valid body where it takes one.</summary>
    private static async Task<Answer> SendAsync(Tenant caller, ApiOperation operation, string id, string nsfilter)
    {
        var path = operation.PathTemplate.Replace("{id}", id, StringComparison.Ordinal).Replace("{name}", id, StringComparison.Ordinal) + "?nsfilter=" + nsfilter;
        using var request = new HttpRequestMessage(operation.Method, new Uri(path, UriKind.Relative));
        request.Content = operation.OperationId switch
        {
            "OrchRuns_Cancel" => OrchRunApiClient.Json(new JsonObject { ["id"] = id }),
            "OrchRuns_Create" => OrchRunApiClient.Json(OrchRunApiClient.RunBody(caller.OrchestratorId)),
            "Orchestrators_Create" => OrchRunApiClient.Json(OrchRunApiClient.OrchestratorBody("probe")),
            "Orchestrators_Update" => OrchRunApiClient.Json(OrchestratorUpdate(id)),
            "Secrets_Put" => OrchRunApiClient.Json("""{"_value":"probe value"}"""),
            "Schedules_Create" or "Schedules_Update" => OrchRunApiClient.Json(new JsonObject
            {
                ["orchestratorId"] = caller.OrchestratorId, ["_cron"] = "0 * * * *", ["_actualparams"] = new JsonArray(),
            }),
            _ => null,
        };
        using var response = await caller.Api.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(id, nsfilter, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static JsonObject OrchestratorUpdate(string id)
    {
        var body = OrchRunApiClient.OrchestratorBody("probe update");
        body["id"] = id;
        return body;
    }

    /// <summary>A user with a token for one namespace, and resources in every state there.</summary>
    private sealed class Tenant : IDisposable
    {
        public const string SecretsPath = OrchRunApiClient.BasePath + "/secret";

        private Tenant(OrchRunApiClient api, string user)
        {
            Api = api;
            User = user;
        }

        public OrchRunApiClient Api { get; }

        public string User { get; }

        public string Namespace => Api.Namespace;

        public string OrchestratorId { get; private set; } = string.Empty;

        public List<string> OrchestratorStepIds { get; } = [];

        public string QueuedRunId { get; private set; } = string.Empty;

        public string CompletedRunId { get; private set; } = string.Empty;

        public string FailedRunId { get; private set; } = string.Empty;

        public List<string> RunIds { get; } = [];

        public List<string> RunStepIds { get; } = [];

        /// <summary>The names of this tenant's secrets; their values are in <see cref="Secrets"/> too.</summary>
        public List<string> SecretNames { get; } = [];

        private List<string> SecretValues { get; } = [];

        public string ScheduleId { get; private set; } = string.Empty;

        /// <summary>Every id this tenant owns: orchestrators, their steps, runs, run steps, a schedule.</summary>
        public List<string> AllIds => [OrchestratorId, .. OrchestratorStepIds, .. RunIds, .. RunStepIds, ScheduleId];

        /// <summary>Text that only this tenant's data holds: if any other answer shows it, something leaked.</summary>
        public List<string> Secrets => [Namespace, "secret-" + User, .. AllIds, .. SecretNames, .. SecretValues];

        /// <summary>What goes into the operation's path: a secret's name, or an id.</summary>
        public List<string> PathValuesFor(ApiOperation operation) => operation.HasPathName ? SecretNames : AllIds;

        public static async Task<Tenant> CreateAsync(OrchRunApiFactory factory, string user)
        {
            var http = factory.CreateClient();
            var ns = TestNamespace.New();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.For(user, ns));
            var tenant = new Tenant(new OrchRunApiClient(http, ns), user);
            var api = tenant.Api;

            var orchestrator = await api.CreateOrchestratorAsync($"secret-{user} orchestrator", stepCount: 2);
            tenant.OrchestratorId = OrchRunApiClient.IdOf(orchestrator);
            tenant.OrchestratorStepIds.AddRange(orchestrator["steps"]!.AsArray().Select(s => OrchRunApiClient.IdOf(s!)));
            var second = await api.CreateOrchestratorAsync($"secret-{user} second");

            tenant.QueuedRunId = await tenant.AddRunAsync(OrchRunApiClient.IdOf(second));
            var cancelled = await tenant.AddRunAsync(tenant.OrchestratorId);
            using (await api.CancelRunAsync(cancelled, cancelled))
            {
            }

            tenant.CompletedRunId = await tenant.AddRunAsync(OrchRunApiClient.IdOf(second));
            await factory.SetRunStatusAsync(tenant.CompletedRunId, OrchRunStatus.Completed);
            await factory.AddLogLinesAsync(tenant.CompletedRunId, [(RunLogLevel.Info, $"secret-{user} log line"), (RunLogLevel.Info, "Orch run has ended")], lastIsEnd: true);
            tenant.FailedRunId = await tenant.AddRunAsync(tenant.OrchestratorId);
            await factory.SetRunStatusAsync(tenant.FailedRunId, OrchRunStatus.Failed);

            foreach (var name in new[] { $"key-{user}", $"{user}.token" })
            {
                var value = $"value-{user}-{Guid.NewGuid():N}";
                using var put = await api.Http.PutAsync(api.Url($"{SecretsPath}/{name}"), OrchRunApiClient.Json(new JsonObject { ["_value"] = value }));
                Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created), await put.Content.ReadAsStringAsync());
                tenant.SecretNames.Add(name);
                tenant.SecretValues.Add(value);
            }

            using var schedule = await api.Http.PostAsync(api.Url(OrchRunApiClient.BasePath + "/schedule"), OrchRunApiClient.Json(new JsonObject
            {
                ["orchestratorId"] = tenant.OrchestratorId, ["_cron"] = "0 * * * *", ["_actualparams"] = new JsonArray(),
            }));
            tenant.ScheduleId = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(schedule, System.Net.HttpStatusCode.OK));
            return tenant;
        }

        public void Dispose() => Api.Dispose();

        private async Task<string> AddRunAsync(string orchestratorId)
        {
            var run = await Api.CreateRunAsync(orchestratorId, [new JsonObject { ["sequence_type_id"] = OrchestratorStepIdsOr(orchestratorId), ["params"] = new JsonObject { ["owner"] = "secret-" + User } }]);
            var id = OrchRunApiClient.IdOf(run);
            RunIds.Add(id);
            RunStepIds.AddRange(run["orchrunsteps"]!.AsArray().Select(s => OrchRunApiClient.IdOf(s!)));
            return id;
        }

        private string OrchestratorStepIdsOr(string orchestratorId) =>
            orchestratorId == OrchestratorId ? OrchestratorStepIds[0] : StepOf(orchestratorId);

        private string StepOf(string orchestratorId)
        {
            using var response = Api.GetOrchestratorAsync(orchestratorId).GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return OrchRunApiClient.IdOf(JsonNode.Parse(text)!["steps"]![0]!);
        }
    }
}
