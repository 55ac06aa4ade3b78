using System.Text.Json.Serialization;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns;

public sealed class OrchRunStepDto
{
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("_name")]
    public required string Name { get; init; }

    [JsonPropertyName("orchstepid")]
    public required Guid OrchestratorStepId { get; init; }

    [JsonPropertyName("_compid")]
    public required Guid ComponentId { get; init; }

    [JsonPropertyName("_orchrunid")]
    public required Guid RunId { get; init; }

    /// <summary>The parameters given at create, as JSON text ("{}" when none).</summary>
    [JsonPropertyName("_actualparams")]
    public required string ActualParams { get; init; }

    [JsonPropertyName("_sequenceno")]
    public required int SequenceNo { get; init; }

    /// <summary>The parameters the connector runs with, as JSON text.</summary>
    [JsonPropertyName("_runparams")]
    public required string RunParams { get; init; }

    [JsonPropertyName("_status")]
    public required OrchRunStepStatus Status { get; init; }

    [JsonPropertyName("_statusmsg")]
    public required string StatusMessage { get; init; }

    /// <summary>When the step's latest attempt started (epoch milliseconds); absent while it has not.</summary>
    [JsonPropertyName("_startedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StartedAt { get; init; }

    /// <summary>When the step ended (epoch milliseconds); absent while it has not.</summary>
    [JsonPropertyName("_finishedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinishedAt { get; init; }
}
