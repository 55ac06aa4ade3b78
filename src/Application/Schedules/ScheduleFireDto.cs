using System.Text.Json.Serialization;

namespace OrchRunService.Application.Schedules;

/// <summary>One slot of a schedule's history: what it did and why.</summary>
public sealed class ScheduleFireDto
{
    /// <summary>The fire time, Unix epoch milliseconds as a string.</summary>
    [JsonPropertyName("_slot")]
    public required string Slot { get; init; }

    /// <summary><c>fired</c>, <c>skipped-overlap</c>, <c>refused-queue-limit</c>, <c>missed</c> or <c>failed</c>.</summary>
    [JsonPropertyName("_outcome")]
    public required string Outcome { get; init; }

    /// <summary>The run the slot created (only when it fired).</summary>
    [JsonPropertyName("runId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? RunId { get; init; }

    [JsonPropertyName("_reason")]
    public required string Reason { get; init; }

    /// <summary>When a node handled the slot, Unix epoch milliseconds as a string.</summary>
    [JsonPropertyName("_recordedat")]
    public required string RecordedAt { get; init; }
}
