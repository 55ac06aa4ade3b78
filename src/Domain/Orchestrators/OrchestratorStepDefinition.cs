using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Orchestrators;

/// <summary>What a caller asks a step to be; <see cref="Id"/> names an existing step to keep its id on update.</summary>
public sealed record OrchestratorStepDefinition(
    Guid? Id,
    string Name,
    Guid ComponentId,
    int SequenceNo,
    StepParameters Params,
    StepExecutionPolicy? Policy = null);
