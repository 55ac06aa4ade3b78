using System.Text.Json;

namespace OrchRunService.Application.Orchestrators;

/// <summary>A step as a caller defines it; <see cref="Id"/> keeps an existing step's id on update.</summary>
public sealed record OrchestratorStepInput(
    Guid? Id,
    string? Name,
    Guid? ComponentId,
    int? SequenceNo,
    JsonElement? Params,
    int? TimeoutSeconds = null,
    int? Retries = null,
    int? RetryDelayMs = null);
