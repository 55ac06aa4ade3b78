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

    /// <summary>
    /// The longest a follow stays silent: proxies and load balancers close idle connections (often
    /// after 30-60 s), and a client must tell a quiet run from a dead connection.
    /// </summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

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
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
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

            await using var lines = _log.Lines.GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                var next = lines.MoveNextAsync().AsTask();
                if (_follow)
                {
                    await KeepAliveUntilAsync(next, response.Body, clock, cancellationToken);
                }

                if (!await next)
                {
                    break;
                }

                var logLine = lines.Current;
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

    /// <summary>Writes a keep-alive every <see cref="KeepAliveInterval"/> until <paramref name="next"/> completes.</summary>
    private async Task KeepAliveUntilAsync(Task next, Stream body, TimeProvider clock, CancellationToken cancellationToken)
    {
        while (!next.IsCompleted)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(KeepAliveInterval, clock, tick.Token);
            if (await Task.WhenAny(next, delay) != delay)
            {
                await tick.CancelAsync();
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await body.WriteAsync(KeepAlive, cancellationToken);
            await body.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// An SSE comment (ignored by EventSource); a blank line in NDJSON (readers skip empty lines);
    /// an empty line's escape inside the seed's JSON string.
    /// </summary>
    private ReadOnlyMemory<byte> KeepAlive => _format switch
    {
        RunLogFormat.EventStream => ": keep-alive\n\n"u8.ToArray(),
        RunLogFormat.Ndjson => "\n"u8.ToArray(),
        _ => "\\n"u8.ToArray(),
    };

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
