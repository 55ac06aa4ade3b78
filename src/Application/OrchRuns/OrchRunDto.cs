using System.Text.Json.Serialization;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns;

/// <summary>A run as the platform UI reads it (the seed's wire names).</summary>
public sealed class OrchRunDto
{
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("_orchid")]
    public required Guid OrchestratorId { get; init; }

    [JsonPropertyName("_name")]
    public required string Name { get; init; }

    [JsonPropertyName("_description")]
    public required string Description { get; init; }

    [JsonPropertyName("_namespaces")]
    public required IReadOnlyList<string> Namespaces { get; init; }

    [JsonPropertyName("_usertype")]
    public required string UserType { get; init; }

    [JsonPropertyName("_createdby")]
    public required string CreatedBy { get; init; }

    /// <summary>Unix epoch milliseconds, as a string.</summary>
    [JsonPropertyName("_createdat")]
    public required string CreatedAt { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; absent until the run first changes.</summary>
    [JsonPropertyName("_updatedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpdatedAt { get; init; }

    [JsonPropertyName("_status")]
    public required OrchRunStatus Status { get; init; }

    [JsonPropertyName("_result")]
    public required string Result { get; init; }

    /// <summary>The run this one reruns (only on reruns; not in the seed).</summary>
    [JsonPropertyName("_rerunof")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? RerunOfId { get; init; }

    /// <summary>The schedule that created the run (only on runs a schedule created).</summary>
    [JsonPropertyName("_scheduleid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? ScheduleId { get; init; }

    /// <summary>The schedule's fire time the run is for, Unix epoch milliseconds as a string (only with <c>_scheduleid</c>).</summary>
    [JsonPropertyName("_scheduledfor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScheduledFor { get; init; }

    [JsonPropertyName("orchrunsteps")]
    public required IReadOnlyList<OrchRunStepDto> Steps { get; init; }
}
