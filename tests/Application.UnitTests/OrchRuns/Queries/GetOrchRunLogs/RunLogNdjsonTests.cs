using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRunLogs;

public class RunLogNdjsonTests
{
    private static readonly Guid RunId = Guid.Parse("8cec89dc-9074-46be-9065-9faade7ad091");
    private static readonly DateTimeOffset Stamp = new(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero);

    private static RunLogLine Line(long sequence, string message, bool isEnd = false, RunLogLevel level = RunLogLevel.Info, DateTimeOffset? at = null) =>
        new(RunId, sequence, at ?? Stamp, level, message, isEnd);

    [Test]
    public void ToJson_WhenFirstLine_StartsWithTheRunIdAsInTheSeed()
    {
        var json = RunLogNdjson.ToJson(Line(1, "Orch run execution has begun"));

        Assert.That(
            json,
            Is.EqualTo("""{"orchRunId":"8cec89dc-9074-46be-9065-9faade7ad091","level":"info","message":"Orch run execution has begun","timestamp":"2023-09-08T07:50:31.330Z"}"""));
    }

    [Test]
    public void ToJson_WhenLaterLine_HasNoRunId()
    {
        var json = RunLogNdjson.ToJson(Line(2, "Running Orchestrator: test_connector"));

        Assert.That(json, Is.EqualTo("""{"level":"info","message":"Running Orchestrator: test_connector","timestamp":"2023-09-08T07:50:31.330Z"}"""));
    }

    [Test]
    public void ToJson_WhenEndLine_PutsEndFirst()
    {
        var json = RunLogNdjson.ToJson(Line(20, "Orch run has ended. Closing up file log stream", isEnd: true));

        Assert.That(
            json,
            Is.EqualTo("""{"end":true,"level":"info","message":"Orch run has ended. Closing up file log stream","timestamp":"2023-09-08T07:50:31.330Z"}"""));
    }

    [Test]
    public void ToJson_WhenTheOnlyLineIsAlsoTheEnd_PutsEndFirstThenTheRunId()
    {
        var json = RunLogNdjson.ToJson(Line(1, "done", isEnd: true));

        Assert.That(json, Does.StartWith("""{"end":true,"orchRunId":"8cec89dc-9074-46be-9065-9faade7ad091","level":"info","""));
    }

    [Test]
    public void ToJson_WhenNotTheEnd_HasNoEndKey()
    {
        using var document = JsonDocument.Parse(RunLogNdjson.ToJson(Line(3, "x")));

        Assert.That(document.RootElement.TryGetProperty("end", out _), Is.False);
    }

    [Test]
    public void ToJson_WhenTimestampHasAnOffset_WritesItInUtcWithMilliseconds()
    {
        var at = new DateTimeOffset(2023, 9, 8, 9, 50, 31, 5, TimeSpan.FromHours(2));

        using var document = JsonDocument.Parse(RunLogNdjson.ToJson(Line(2, "x", at: at)));

        Assert.That(document.RootElement.GetProperty("timestamp").GetString(), Is.EqualTo("2023-09-08T07:50:31.005Z"));
    }

    [Test]
    public void ToJson_WhenTimestampHasSubMillisecondTicks_KeepsThreeDigits()
    {
        var at = Stamp.AddTicks(9_999);

        using var document = JsonDocument.Parse(RunLogNdjson.ToJson(Line(2, "x", at: at)));

        Assert.That(document.RootElement.GetProperty("timestamp").GetString(), Is.EqualTo("2023-09-08T07:50:31.330Z"));
    }

    [TestCase(RunLogLevel.Debug, "debug")]
    [TestCase(RunLogLevel.Info, "info")]
    [TestCase(RunLogLevel.Warn, "warn")]
    [TestCase(RunLogLevel.Error, "error")]
    public void LevelName_ForEachLevel_IsLowerCase(RunLogLevel level, string expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunLogNdjson.LevelName(level), Is.EqualTo(expected));
            using var document = JsonDocument.Parse(RunLogNdjson.ToJson(Line(2, "x", level: level)));
            Assert.That(document.RootElement.GetProperty("level").GetString(), Is.EqualTo(expected));
        }
    }

    [Test]
    public void ToJson_WhenMessageHasQuotesAndNewlines_RoundTrips()
    {
        const string message = "[\"Step: Connector:test_connector took ->60.56\"]\nsecond line";

        using var document = JsonDocument.Parse(RunLogNdjson.ToJson(Line(2, message)));

        Assert.That(document.RootElement.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [Test]
    public void Write_WithARelaxedWriter_LeavesHtmlCharactersUnescaped()
    {
        var written = WriteWith(new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }, Line(2, "a<b> & 'c' ->"));

        Assert.That(written, Does.Contain("\"message\":\"a<b> & 'c' ->\""));
    }

    [Test]
    public void Write_WithADefaultWriter_UsesThatWritersEscaping()
    {
        var written = WriteWith(default, Line(2, "a<b>"));

        Assert.That(written, Does.Contain("\"message\":\"a\\u003Cb\\u003E\""));
    }

    [Test]
    public void Write_WhenWriterIsNull_ThrowsArgumentNullException()
    {
        Assert.That(() => RunLogNdjson.Write(null!, Line(1, "x")), Throws.ArgumentNullException);
    }

    private static string WriteWith(JsonWriterOptions options, RunLogLine line)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            RunLogNdjson.Write(writer, line);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
