using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

namespace OrchRunService.Api.Controllers;

/// <summary>
/// Writes a run's log as the seed does, one JSON string holding NDJSON, while reading it from
/// the database: the log is never held in memory whole.
/// </summary>
internal sealed class RunLogJsonStringResult : IActionResult
{
    private const int FlushThresholdBytes = 32 * 1024;

    // The seed's log escapes only what JSON requires ("took ->60.56", not "took -\u003E60.56").
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RunLog _log;

    public RunLogJsonStringResult(RunLog log)
    {
        _log = log;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";

        var line = new ArrayBufferWriter<byte>(512);
        var pending = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        pending.Write("\""u8);
        await foreach (var logLine in _log.Lines.WithCancellation(cancellationToken))
        {
            line.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(line, LineOptions))
            {
                RunLogNdjson.Write(writer, logLine);
            }

            AppendEscaped(pending, line.WrittenSpan);
            pending.Write("\\n"u8);
            if (pending.WrittenCount >= FlushThresholdBytes)
            {
                await response.Body.WriteAsync(pending.WrittenMemory, cancellationToken);
                pending.ResetWrittenCount();
            }
        }

        pending.Write("\""u8);
        await response.Body.WriteAsync(pending.WrittenMemory, cancellationToken);
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
