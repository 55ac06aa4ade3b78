using System.Text.Json.Serialization;

namespace OrchRunService.Application.Schedules;

/// <summary>A schedule: runs of one orchestrator created at every fire time of a cron expression.</summary>
public sealed class ScheduleDto
{
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("orchestratorId")]
    public required Guid OrchestratorId { get; init; }

    /// <summary>5 fields (minute first) or 6 (seconds first).</summary>
    [JsonPropertyName("_cron")]
    public required string Cron { get; init; }

    /// <summary>The IANA time zone the cron's fields are read in.</summary>
    [JsonPropertyName("_timezone")]
    public required string TimeZone { get; init; }

    [JsonPropertyName("_actualparams")]
    public required IReadOnlyList<ScheduleParamDto> ActualParams { get; init; }

    [JsonPropertyName("_enabled")]
    public required bool Enabled { get; init; }

    /// <summary><c>skip</c>, <c>queue</c> or <c>cancel-previous</c>.</summary>
    [JsonPropertyName("_overlap")]
    public required string Overlap { get; init; }

    /// <summary><c>none</c>, <c>last</c> or <c>all</c>.</summary>
    [JsonPropertyName("_catchup")]
    public required string Catchup { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; no slot before it fires.</summary>
    [JsonPropertyName("_startat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StartAt { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; no slot after it fires.</summary>
    [JsonPropertyName("_endat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndAt { get; init; }

    [JsonPropertyName("_createdby")]
    public required string CreatedBy { get; init; }

    /// <summary>Unix epoch milliseconds, as a string.</summary>
    [JsonPropertyName("_createdat")]
    public required string CreatedAt { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; absent until the schedule first changes.</summary>
    [JsonPropertyName("_updatedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpdatedAt { get; init; }

    /// <summary>The next five fire times (epoch-ms strings), oldest first; empty while paused or past <c>_endat</c>.</summary>
    [JsonPropertyName("_nextfireat")]
    public required IReadOnlyList<string> NextFireAt { get; init; }
}
