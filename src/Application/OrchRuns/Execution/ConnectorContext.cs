using System.Text.Json;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>What a connector gets for one step: who it runs for, its parameters, and the run log.</summary>
public sealed record ConnectorContext(Guid RunId, string StepName, JsonElement Parameters, IRunLogWriter Log);
