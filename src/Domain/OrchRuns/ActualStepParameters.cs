using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.OrchRuns;

/// <summary>
/// The parameters a caller gives one step of a run; <see cref="SequenceTypeId"/> is the
/// orchestrator step's id, as text because the caller may send anything there.
/// </summary>
public sealed record ActualStepParameters(string SequenceTypeId, StepParameters Params);
