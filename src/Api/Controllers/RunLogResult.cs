using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

namespace OrchRunService.Api.Controllers;

/// <summary>How a run's log is written.</summary>
public enum RunLogFormat
{
    /// <summary>The seed's answer: one JSON string holding the NDJSON lines.</summary>
    JsonString = 1,

    /// <summary><c>application/x-ndjson</c>: one JSON object per line.</summary>
    Ndjson = 2,

    /// <summary><c>text/event-stream</c>: one server-sent event per line, its id the line number.</summary>
    EventStream = 3,
}

/// <summary>
/// Writes a run's log while reading it from the database, so it is never held in memory whole.
/// When following, each line is flushed as it comes; a client that goes away aborts the
/// request, which ends the read at once.
/// </summary>
internal sealed class RunLogResult : IActionResult
{
    private const int FlushThresholdBytes = 32 * 1024;

    // The seed's log escapes only what JSON requires ("took ->60.56", not "took -\u003E60.56").
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RunLog _log;
    private readonly RunLogFormat _format;
    private readonly bool _follow;

    public RunLogResult(RunLog log, RunLogFormat format, bool follow)
    {
        _log = log;
        _format = format;
        _follow = follow;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = _format switch
        {
            RunLogFormat.Ndjson => "application/x-ndjson; charset=utf-8",
            RunLogFormat.EventStream => "text/event-stream; charset=utf-8",
            _ => "application/json; charset=utf-8",
        };
        if (_format == RunLogFormat.EventStream)
        {
            response.Headers.CacheControl = "no-cache";
        }

        var line = new ArrayBufferWriter<byte>(512);
        var pending = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        if (_format == RunLogFormat.JsonString)
        {
            pending.Write("\""u8);
        }

        try
        {
            if (_follow)
            {
                // Send the status and headers now: a run that has not started yet may write its
                // first line much later, and a follower (an EventSource, say) must see the stream
                // open. (Response.StartAsync alone only queues the headers; a flush sends them.)
                await response.Body.FlushAsync(cancellationToken);
            }

            await foreach (var logLine in _log.Lines.WithCancellation(cancellationToken))
            {
                line.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(line, LineOptions))
                {
                    RunLogNdjson.Write(writer, logLine);
                }

                Append(pending, logLine.Sequence, line.WrittenSpan);
                if (pending.WrittenCount >= FlushThresholdBytes || _follow)
                {
                    await response.Body.WriteAsync(pending.WrittenMemory, cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    pending.ResetWrittenCount();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (_format == RunLogFormat.JsonString)
        {
            pending.Write("\""u8);
        }

        await response.Body.WriteAsync(pending.WrittenMemory, cancellationToken);
    }

    private void Append(ArrayBufferWriter<byte> target, long sequence, ReadOnlySpan<byte> json)
    {
        switch (_format)
        {
            case RunLogFormat.Ndjson:
                target.Write(json);
                target.Write("\n"u8);
                break;
            case RunLogFormat.EventStream:
                target.Write(Encoding.UTF8.GetBytes($"id: {sequence.ToString(CultureInfo.InvariantCulture)}\nevent: log\ndata: "));
                target.Write(json);
                target.Write("\n\n"u8);
                break;
            default:
                AppendEscaped(target, json);
                target.Write("\\n"u8);
                break;
        }
    }

    /// <summary>The line's UTF-8 JSON as the content of a JSON string: quotes and backslashes escaped.</summary>
    private static void AppendEscaped(ArrayBufferWriter<byte> target, ReadOnlySpan<byte> json)
    {
        var start = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (b is (byte)'"' or (byte)'\\')
            {
                target.Write(json[start..i]);
                target.Write(b == '"' ? "\\\""u8 : "\\\\"u8);
                start = i + 1;
            }
        }

        target.Write(json[start..]);
    }
}
