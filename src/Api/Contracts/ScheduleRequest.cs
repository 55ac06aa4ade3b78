using System.Text.Json.Serialization;

namespace OrchRunService.Api.Contracts;

/// <summary>The body of POST and PUT /schedule.</summary>
public sealed class ScheduleRequest
{
    /// <summary>On PUT, if given, must equal the path id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The orchestrator to run (of the nsfilter namespace).</summary>
    [JsonPropertyName("orchestratorId")]
    public string? OrchestratorId { get; init; }

    /// <summary>5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first.</summary>
    [JsonPropertyName("_cron")]
    public string? Cron { get; init; }

    /// <summary>IANA time zone the fields are read in; default UTC.</summary>
    [JsonPropertyName("_timezone")]
    public string? TimeZone { get; init; }

    /// <summary>Per-step parameters of every run, as for a run's create; an empty array when no step has any.</summary>
    [JsonPropertyName("_actualparams")]
    public IReadOnlyList<ActualParamRequest>? ActualParams { get; init; }

    /// <summary>Default true; false pauses the schedule.</summary>
    [JsonPropertyName("_enabled")]
    public bool? Enabled { get; init; }

    /// <summary><c>skip</c> (default), <c>queue</c> or <c>cancel-previous</c>.</summary>
    [JsonPropertyName("_overlap")]
    public string? Overlap { get; init; }

    /// <summary><c>none</c> (default), <c>last</c> or <c>all</c>.</summary>
    [JsonPropertyName("_catchup")]
    public string? Catchup { get; init; }

    /// <summary>Unix epoch milliseconds as a string: no slot before it fires.</summary>
    [JsonPropertyName("_startat")]
    public string? StartAt { get; init; }

    /// <summary>Unix epoch milliseconds as a string: no slot after it fires.</summary>
    [JsonPropertyName("_endat")]
    public string? EndAt { get; init; }
}
