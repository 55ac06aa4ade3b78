using System.Globalization;
using System.Text.Json;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// Writes one log line as the seed's NDJSON object: <c>{"orchRunId"?,"end"?,"level","message","timestamp"}</c>,
/// key order as in the seed's example.
/// </summary>
public static class RunLogNdjson
{
    public static void Write(Utf8JsonWriter writer, RunLogLine line)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(line);
        writer.WriteStartObject();
        if (line.IsEnd)
        {
            writer.WriteBoolean("end", true);
        }

        if (line.Sequence == 1)
        {
            writer.WriteString("orchRunId", line.RunId);
        }

        writer.WriteString("level", LevelName(line.Level));
        writer.WriteString("message", line.Message);
        writer.WriteString("timestamp", line.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    public static string ToJson(RunLogLine line)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, line);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string LevelName(RunLogLevel level) => level switch
    {
        RunLogLevel.Debug => "debug",
        RunLogLevel.Warn => "warn",
        RunLogLevel.Error => "error",
        _ => "info",
    };
}
