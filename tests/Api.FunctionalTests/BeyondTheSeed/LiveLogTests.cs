using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.BeyondTheSeed;

/// <summary>
/// GET /orchrun/logs/{id}?follow=true as NDJSON and as server-sent events, over real HTTP against
/// a worker that executes the run meanwhile: streaming, disconnecting, resuming.
/// </summary>
public sealed class LiveLogTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private OrchRunApiClient _api = null!;

    [SetUp]
    public void CreateClient() => _api = BeyondTheSeedApis.WithWorker.CreateApiClient();

    [TearDown]
    public void DisposeClient() => _api.Dispose();

    [Test]
    public async Task FollowNdjson_WhenTheClientDisconnectsAndResumesFromItsLastLine_GetsEveryLineOnceUpToTheEnd()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 20, intervalMs: 150));

        // 1. Follow, read a few lines while the run executes, then drop the connection mid-read.
        var seen = new List<string>();
        string statusWhileStreaming;
        using (var follower = BeyondTheSeedApis.HangingUpClient(BeyondTheSeedApis.WithWorker, _api.Namespace))
        using (var response = await follower.OpenLogsAsync(id, "follow=true", Runs.NdjsonType))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(Runs.NdjsonType));
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (seen.Count < 6)
            {
                seen.Add(await reader.ReadLineAsync().WaitAsync(Safety) ?? throw new AssertionException("the stream ended early"));
            }

            statusWhileStreaming = Runs.StatusOf(await _api.GetRunObjectAsync(id));

            // Hang up here; lines already received but not yet read are lost, as for a real client.
        }

        // 2. The server lets go of the request at once, not when the run ends.
        var released = await BeyondTheSeedApis.WorkerRequests.WaitUntilNoneOpenAsync($"/logs/{id}", TimeSpan.FromSeconds(1));
        var statusAfterDisconnect = Runs.StatusOf(await _api.GetRunObjectAsync(id));

        // 3. Resume after the last line seen.
        List<string> rest;
        using (var resumed = await _api.OpenLogsAsync(id, $"follow=true&fromLine={seen.Count}", Runs.NdjsonType))
        {
            Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            rest = Runs.SplitLines(await resumed.Content.ReadAsStringAsync().WaitAsync(Safety));
        }

        var full = await _api.ReadNdjsonLinesAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statusWhileStreaming, Is.EqualTo("RUNNING"), "the first lines came while the run executed");
            Assert.That(released, Is.True, "the follow request still runs on the server 1 s after its client went away");
            Assert.That(statusAfterDisconnect, Is.EqualTo("RUNNING"), "released before the run ended");
            Assert.That(seen.Concat(rest), Is.EqualTo(full), "no gap, no repeat");
            Assert.That(full, Has.Count.GreaterThan(20));
            Assert.That(rest.Count(Runs.IsEnd), Is.EqualTo(1));
            Assert.That(Runs.IsEnd(rest[^1]), Is.True, "the answer ends after the end line");
            Assert.That(JsonNode.Parse(seen[0])!["orchRunId"]?.GetValue<string>(), Is.EqualTo(id));
            Assert.That(Runs.MessageOf(full[^2]), Does.StartWith("Updating orch run status to 4 "));
        }
    }

    [Test]
    public async Task FollowEventStream_WhenResumedWithLastEventId_GetsTheSameLinesAsNdjsonAsEvents()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 15, intervalMs: 100));

        var events = new List<SseEvent>();
        using (var browser = BeyondTheSeedApis.HangingUpClient(BeyondTheSeedApis.WithWorker, _api.Namespace))
        using (var response = await browser.OpenLogsAsync(id, "follow=true", Runs.EventStreamType))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(Runs.EventStreamType));
                Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (events.Count < 5)
            {
                events.Add(await SseEvent.ReadAsync(reader, CancellationToken.None).WaitAsync(Safety) ?? throw new AssertionException("the stream ended early"));
            }

            // The browser leaves the page: the connection closes.
        }

        Assert.That(await BeyondTheSeedApis.WorkerRequests.WaitUntilNoneOpenAsync($"/logs/{id}", TimeSpan.FromSeconds(1)), Is.True);

        // What a browser's EventSource does on reconnect: the same URL with Last-Event-ID.
        using (var resumed = await _api.OpenLogsAsync(id, "follow=true", Runs.EventStreamType, lastEventId: events[^1].Id))
        {
            var reader = new StreamReader(await resumed.Content.ReadAsStreamAsync());
            while (await SseEvent.ReadAsync(reader, CancellationToken.None).WaitAsync(Safety) is { } next)
            {
                events.Add(next);
            }
        }

        var full = await _api.ReadNdjsonLinesAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => e.Id), Is.EqualTo(Enumerable.Range(1, full.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), "ids are the line numbers, without gaps or repeats");
            Assert.That(events.Select(e => e.Event), Is.All.EqualTo("log"));
            Assert.That(events.Select(e => e.Data), Is.EqualTo(full), "each event's data is the NDJSON line");
            Assert.That(Runs.IsEnd(events[^1].Data), Is.True);
        }
    }

    [Test]
    public async Task FollowEventStream_WhenFromLineAndLastEventIdAreBothGiven_FromLineWins()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 2, intervalMs: 0));
        await _api.WaitUntilFinishedAsync(id);

        using var response = await _api.OpenLogsAsync(id, "fromLine=2", Runs.EventStreamType, lastEventId: "5");
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await SseEvent.ReadAsync(reader, CancellationToken.None);

        Assert.That(first?.Id, Is.EqualTo("3"));
    }

    [Test]
    public async Task Follow_WhenTheRunHasAlreadyFinished_AnswersTheWholeLogAndEnds()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 2, intervalMs: 0));
        await _api.WaitUntilFinishedAsync(id);

        var followed = await _api.ReadNdjsonLinesAsync(id, "follow=true").WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(followed, Is.EqualTo(await _api.ReadNdjsonLinesAsync(id)));
        Assert.That(Runs.IsEnd(followed[^1]), Is.True);
    }

    [Test]
    public async Task Follow_WithoutAnAcceptHeader_AnswersTheSeedsJsonStringOnceTheRunEnds()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 5, intervalMs: 50));

        using var response = await _api.OpenLogsAsync(id, "follow=true", accept: null);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Safety);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var ndjson = JsonNode.Parse(body)!.GetValue<string>();
        Assert.That(Runs.SplitLines(ndjson), Is.EqualTo(await _api.ReadNdjsonLinesAsync(id)));
        Assert.That(Runs.IsEnd(Runs.SplitLines(ndjson)[^1]), Is.True);
    }

    [Test]
    public async Task Tail_AnswersOnlyTheLastLines()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 4, intervalMs: 0));
        await _api.WaitUntilFinishedAsync(id);
        var full = await _api.ReadNdjsonLinesAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "tail=3"), Is.EqualTo(full.TakeLast(3)));
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "tail=1"), Is.EqualTo(new[] { full[^1] }));
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "tail=100000"), Is.EqualTo(full));
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "tail=3&follow=true"), Is.EqualTo(full.TakeLast(3)));
        }
    }

    [Test]
    public async Task Tail_AsTheSeedsJsonString_IsAJsonStringOfTheLastLines()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 2, intervalMs: 0));
        await _api.WaitUntilFinishedAsync(id);
        var full = await _api.ReadNdjsonLinesAsync(id);

        using var response = await _api.Http.GetAsync(_api.Url($"{OrchRunApiClient.RunsPath}/logs/{id}", "tail=2"));
        var body = await OrchRunApiClient.ReadJsonAsync(response);

        Assert.That(body!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
        Assert.That(Runs.SplitLines(body.GetValue<string>()), Is.EqualTo(full.TakeLast(2)));
    }

    [Test]
    public async Task FromLine_AnswersTheLinesAfterIt()
    {
        var id = await _api.StartRunAsync(Runs.TestStep(iterations: 2, intervalMs: 0));
        await _api.WaitUntilFinishedAsync(id);
        var full = await _api.ReadNdjsonLinesAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "fromLine=0"), Is.EqualTo(full));
            Assert.That(await _api.ReadNdjsonLinesAsync(id, "fromLine=3"), Is.EqualTo(full.Skip(3)));
            Assert.That(await _api.ReadNdjsonLinesAsync(id, $"fromLine={full.Count}"), Is.Empty);
            Assert.That(await _api.ReadNdjsonLinesAsync(id, $"fromLine={full.Count + 10}&follow=true"), Is.Empty, "nothing more will come: the follow ends");
        }
    }

    [TestCase("tail=0", "tail")]
    [TestCase("tail=-1", "tail")]
    [TestCase("tail=100001", "tail")]
    [TestCase("tail=5&fromLine=2", "tail")]
    [TestCase("fromLine=-1", "fromLine")]
    public async Task GetLogs_WhenTailOrFromLineIsInvalid_Returns400NamingTheParameter(string query, string field)
    {
        using var response = await _api.Http.GetAsync(_api.Url($"{OrchRunApiClient.RunsPath}/logs/{Guid.NewGuid()}", query));

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Test]
    public async Task GetLogs_WhenTailAndFromLineAreBothGiven_SaysWhy()
    {
        using var response = await _api.Http.GetAsync(_api.Url($"{OrchRunApiClient.RunsPath}/logs/{Guid.NewGuid()}", "tail=5&fromLine=2"));

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "tail");
        Assert.That(problem["errors"]!["tail"]!.AsArray().Select(e => e!.GetValue<string>()), Does.Contain("Give fromLine or tail, not both."));
    }

    [Test]
    public async Task Follow_WhenTheRunIsOfAnotherNamespace_Returns404()
    {
        using var other = BeyondTheSeedApis.WithWorker.CreateApiClient();
        var id = await other.StartRunAsync(Runs.TestStep(iterations: 0, intervalMs: 0));

        using var response = await _api.OpenLogsAsync(id, "follow=true", Runs.NdjsonType);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    /// <summary>One server-sent event: its id, event name and data.</summary>
    private sealed record SseEvent(string? Id, string? Event, string Data)
    {
        /// <summary>The next event, or null at the end of the stream.</summary>
        public static async Task<SseEvent?> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
        {
            string? id = null, name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        return new SseEvent(id, name, string.Join('\n', data));
                    }

                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        name = value;
                        break;
                    case "data":
                        data.Add(value);
                        break;
                }
            }

            return null;
        }
    }
}
