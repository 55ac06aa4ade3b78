using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Errors;

/// <summary>
/// Throws garbage, wrong JSON types, huge numbers, unicode and nulls at every endpoint: whatever
/// comes in, the answer is never a 5xx, and every error is one of our problem documents.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Placeholder = "@";

    private static readonly string[] WeirdIds =
    [
        "x", "0", "-1", "1e400", "99999999999999999999999999", "null", "undefined", "%F0%9F%98%80", "%C3%A9", "%25",
        "..%2F..", "'%20OR%201=1%20--", "00000000-0000-0000-0000-000000000000", "{7d0c6a4e-30b3-4b54-9a4f-1a2b3c4d5e6f}",
        "7D0C6A4E30B34B549A4F1A2B3C4D5E6F", new string('a', 2000),
    ];

    private static readonly string[] WeirdQueries =
    [
        "_pageSize=99999999999999999999", "_pageSize=-2147483649", "_pageSize=1e3", "_pageSize=%F0%9F%98%80", "_pageSize=0x10",
        "_offset=2147483647", "_offset=99999999999999999999", "_offset=-0", "_pageSize=1000&_offset=2147483647",
        "_status=,", "_status=%F0%9F%98%80", "_status=queued", "_status=" + new string('Q', 10000), "_status=QUEUED%00",
        "startDate=9999-12-31T23:59:59.9999999Z", "startDate=0001-01-01", "startDate=0001-01-01T00:00:00%2B14:00",
        "endDate=9999-12-31", "endDate=9999-12-31T23:59:59-14:00", "endDate=253402300799999", "endDate=253402300800000",
        "startDate=0&endDate=0", "startDate=1e10", "startDate=%00", "startDate=2023-01-01T00:00:00Z&endDate=9999-12-31",
        "startDate=%F0%9F%98%80", "endDate=2023-02-29", "startDate=999999999999999", "endDate=-62135596800001",
        "%ZZ=1", "unknown=%F0%9F%98%80", "_pageSize", "=", "&&&",
        "tail=99999999999999999999", "tail=1e3", "tail=-2147483648", "tail=2147483647", "fromLine=99999999999999999999",
        "fromLine=9223372036854775807", "fromLine=-0", "fromLine=1.5", "tail=1&fromLine=1", "follow=maybe", "follow=1", "follow=",
        "fromStep=%F0%9F%98%80", "fromStep=" + new string('f', 10000), "fromStep=failed%00",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json; charset=latin1", "application/json; charset=utf-16", "application/json; charset=nonsense",
        "application/problem+json", "application/*", "text/json", "multipart/form-data; boundary=x", "application/octet-stream",
    ];

    private OrchRunApiClient? _api;
    private string _orchestratorId = string.Empty;
    private string _stepId = string.Empty;
    private string _runId = string.Empty;
    private string _scheduleId = string.Empty;

    [OneTimeSetUp]
    public async Task CreateResources()
    {
        _api = SharedApi.Factory.CreateApiClient();
        var (orchestrator, run) = await _api.CreateOrchestratorAndRunAsync();
        _orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        _stepId = OrchRunApiClient.IdOf(orchestrator["steps"]![0]!);
        _runId = OrchRunApiClient.IdOf(run);
        using var schedule = await _api.Http.PostAsync(_api.Url(Endpoints.SchedulesPath), OrchRunApiClient.Json(Fill(ScheduleBody)));
        _scheduleId = OrchRunApiClient.IdOf(await OrchRunApiClient.ReadObjectAsync(schedule, System.Net.HttpStatusCode.OK));
    }

    [OneTimeTearDown]
    public void DisposeClient() => _api?.Dispose();

    [TestCaseSource(typeof(Endpoints), nameof(Endpoints.Cases))]
    public async Task Request_WhenInputIsMalformed_NeverAnswers5xxAndErrorsAreProblems(Endpoint endpoint)
    {
        var api = _api!;
        // Deletes get an id that does not exist, so the resources stay for the other endpoints.
        var realId = endpoint.Method == HttpMethod.Delete ? Guid.NewGuid().ToString()
            : endpoint.PathTemplate.Contains("orchestrator", StringComparison.Ordinal) ? _orchestratorId
            : endpoint.PathTemplate.Contains("schedule", StringComparison.Ordinal) ? _scheduleId
            : _runId;
        var failures = new List<string>();

        foreach (var query in WeirdQueries)
        {
            await SendAsync(api, endpoint, api.Url(endpoint.Path(realId), query), endpoint.HasBody ? ValidBody(endpoint) : null, failures);
        }

        if (endpoint.HasId)
        {
            foreach (var id in WeirdIds)
            {
                await SendAsync(api, endpoint, api.Url(endpoint.Path(id)), endpoint.HasBody ? ValidBody(endpoint) : null, failures);
            }
        }

        if (endpoint.HasBody)
        {
            var url = api.Url(endpoint.Path(realId));
            foreach (var body in Bodies())
            {
                await SendAsync(api, endpoint, url, () => OrchRunApiClient.Json(Fill(body)), failures);
            }

            foreach (var contentType in ContentTypes)
            {
                await SendAsync(api, endpoint, url, () => WithContentType(Encoding.UTF8.GetBytes(Fill(ValidBodyJson(endpoint))), contentType), failures);
            }

            await SendAsync(api, endpoint, url, () => WithContentType([0xFF, 0xFE, 0x7B, 0x00, 0xC3, 0x28, 0x7D], "application/json"), failures);
            await SendAsync(api, endpoint, url, () => WithContentType("\uFEFF{}"u8.ToArray(), "application/json"), failures);
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    private static async Task SendAsync(OrchRunApiClient api, Endpoint endpoint, string url, Func<HttpContent>? content, List<string> failures)
    {
        using var request = new HttpRequestMessage(endpoint.Method, url);
        if (content is not null)
        {
            request.Content = content();
        }

        var sent = request.Content is null ? string.Empty : Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync());
        using var response = await api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        string? problem = null;
        if (status >= 500)
        {
            problem = "server error";
        }
        else if (status >= 400)
        {
            problem = CheckProblem(response, text);
        }

        if (problem is not null)
        {
            failures.Add($"{endpoint.Method} {Shorten(url)} body={Shorten(sent)} -> {status}: {problem}; {Shorten(text)}");
        }
    }

    private static string? CheckProblem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType}";
        }

        if (!text.Contains($"\"type\":\"{ProblemAssert.TypePrefix}", StringComparison.Ordinal))
        {
            return "no urn:orchrun:problem: type";
        }

        return text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal)
            ? "stack trace or exception name in the answer"
            : null;
    }

    private const string ScheduleBody = "{\"orchestratorId\":\"@orch\",\"_cron\":\"0 * * * *\",\"_actualparams\":[]}";

    private Func<HttpContent> ValidBody(Endpoint endpoint) => () => OrchRunApiClient.Json(Fill(ValidBodyJson(endpoint)));

    private static string ValidBodyJson(Endpoint endpoint) => endpoint.Name switch
    {
        "CreateRun" => "{\"orchestratorId\":\"@orch\",\"_actualparams\":[]}",
        "CancelRun" => "{\"id\":\"@run\"}",
        "CreateSchedule" or "UpdateSchedule" => ScheduleBody,
        _ => "{\"_name\":\"x\",\"steps\":[{\"_name\":\"a\",\"_compid\":\"@comp\"}]}",
    };

    private string Fill(string template) => template
        .Replace(Placeholder + "orch", _orchestratorId, StringComparison.Ordinal)
        .Replace(Placeholder + "step", _stepId, StringComparison.Ordinal)
        .Replace(Placeholder + "run", _runId, StringComparison.Ordinal)
        .Replace(Placeholder + "comp", OrchRunApiClient.TestConnectorComponentId, StringComparison.Ordinal);

    private static IEnumerable<string> Bodies()
    {
        const string step = "{\"_name\":\"a\",\"_compid\":\"@comp\"}";
        string Run(string actualParams) => "{\"orchestratorId\":\"@orch\",\"_actualparams\":" + actualParams + "}";
        string Entry(string sequenceTypeId, string parameters) => Run("[{\"sequence_type_id\":" + sequenceTypeId + ",\"params\":" + parameters + "}]");
        string Definition(string steps) => "{\"_name\":\"x\",\"steps\":" + steps + "}";
        string Step(string extra) => "[{\"_name\":\"a\",\"_compid\":\"@comp\"," + extra + "}]";

        // Not JSON, or not an object.
        string[] garbage = ["", " ", "null", "{", "}", "{garbage", "{\"a\":}", "[]", "[{}]", "123", "-0", "1e400", "\"str\"", "true", "{}", "{\"a\":1}{\"b\":2}", "\u0000"];

        // Wrong JSON types, nulls and huge numbers in the run body.
        string[] runs =
        [
            "{\"orchestratorId\":123}", "{\"orchestratorId\":1e400,\"_actualparams\":[]}", "{\"orchestratorId\":null,\"_actualparams\":null}",
            "{\"orchestratorId\":[],\"_actualparams\":\"x\"}", "{\"orchestratorId\":{},\"_actualparams\":{}}", "{\"orchestratorId\":\"\\ud800\",\"_actualparams\":[]}",
            "{\"orchestratorId\":\"\\u0000\",\"_actualparams\":[]}", "{\"orchestratorId\":\"@orch\",\"_actualParams\":[],\"_actualparams\":[null]}",
            Run("[null]"), Run("[1,\"x\",true]"), Run("[[]]"),
            Entry("123", "[]"), Entry("null", "null"), Entry("\"%F0%9F%98%80\"", "{}"), Entry("\"😀\"", "{}"), Entry("\"@step\"", "null"),
            Entry("\"@step\"", "{\"k\":1,\"k\":2}"), Entry("\"@step\"", "{\"n\":1e400,\"m\":-99999999999999999999999999,\"s\":\"\\ud800\",\"u\":\"😀\\u0000\"}"),
            Entry("\"@step\"", "{\"iterations\":\"many\",\"intervalMs\":-1}"), Entry("\"@step\"", "{\"deep\":" + new string('[', 30) + new string(']', 30) + "}"),
            Entry("\"@step\"", "{\"deep\":" + new string('[', 300) + new string(']', 300) + "}"), Entry("\"@step\"", "{\"big\":\"" + new string('b', 100_000) + "\"}"),
            Run("[" + string.Join(",", Enumerable.Repeat("{\"sequence_type_id\":\"@step\",\"params\":{}}", 101)) + "]"),
        ];

        // Cancel bodies.
        string[] cancels = ["{\"id\":42}", "{\"id\":null}", "{\"id\":\"@run\",\"id\":\"@orch\"}", "{\"id\":[\"@run\"]}", "{\"id\":\"😀\"}", "{\"ID\":\"@run\"}", "{\"id\":\"\\ud800\"}"];

        // Orchestrator definitions.
        string[] definitions =
        [
            "{\"_name\":123,\"steps\":\"x\"}", "{\"_name\":null,\"steps\":null}", Definition("[1,2]"), Definition("[{}]"), Definition("[null]"), Definition("{}"),
            "{\"_name\":\"😀\\u0000\\ud800\",\"steps\":[" + step + "]}", "{\"_name\":\"" + new string('n', 10_000) + "\",\"steps\":[" + step + "]}",
            "{\"_name\":\"x\",\"_description\":\"" + new string('d', 3000) + "\",\"_usertype\":\"" + new string('u', 200) + "\",\"steps\":[" + step + "]}",
            "{\"_name\":\"x\",\"_description\":42,\"_usertype\":[],\"steps\":[" + step + "]}",
            Definition(Step("\"_sequenceno\":99999999999999999999")), Definition(Step("\"_sequenceno\":-2147483648")), Definition(Step("\"_sequenceno\":2147483647")),
            Definition(Step("\"_sequenceno\":1.5")), Definition(Step("\"_sequenceno\":\"1\"")), Definition(Step("\"_sequenceno\":null")),
            Definition(Step("\"id\":\"😀\"")), Definition(Step("\"id\":\"@step\"")), Definition(Step("\"id\":42")), Definition(Step("\"_compid\":null")),
            Definition(Step("\"_params\":{\"k\":1,\"k\":2}")), Definition(Step("\"_params\":null")), Definition(Step("\"_params\":\"{}\"")),
            Definition(Step("\"_params\":{\"n\":1e400,\"s\":\"\\ud800\"}")), Definition("[" + string.Join(",", Enumerable.Repeat(step, 101)) + "]"),
            "{\"id\":\"@orch\",\"_name\":\"x\",\"steps\":[{\"id\":\"@step\",\"_name\":\"a\",\"_compid\":\"@comp\"},{\"id\":\"@step\",\"_name\":\"b\",\"_compid\":\"@comp\",\"_sequenceno\":2}]}",
            "{\"id\":\"😀\",\"_name\":\"x\",\"steps\":[" + step + "]}", "{\"id\":42,\"_name\":\"x\",\"steps\":[" + step + "]}",
        ];

        return garbage.Concat(runs).Concat(cancels).Concat(definitions);
    }

    private static ByteArrayContent WithContentType(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"...({text.Length} chars)";
}
