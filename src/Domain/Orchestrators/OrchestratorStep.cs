using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Orchestrators;

/// <summary>One step of an orchestrator definition: which connector runs, in which order, with which defaults.</summary>
public sealed class OrchestratorStep
{
    // For EF Core materialisation.
    private OrchestratorStep()
    {
        Name = string.Empty;
        Params = StepParameters.Empty;
        Policy = StepExecutionPolicy.Default;
    }

    internal OrchestratorStep(Guid id, Guid orchestratorId, string name, Guid componentId, int sequenceNo, StepParameters parameters, StepExecutionPolicy policy)
    {
        Policy = policy;
        Id = id;
        OrchestratorId = orchestratorId;
        Name = name;
        ComponentId = componentId;
        SequenceNo = sequenceNo;
        Params = parameters;
    }

    public Guid Id { get; private set; }

    public Guid OrchestratorId { get; private set; }

    public string Name { get; private set; }

    public Guid ComponentId { get; private set; }

    public int SequenceNo { get; private set; }

    public StepParameters Params { get; private set; }

    /// <summary>Time limit and retries of the step in every run.</summary>
    public StepExecutionPolicy Policy { get; private set; }

    internal void Redefine(string name, Guid componentId, int sequenceNo, StepParameters parameters, StepExecutionPolicy policy)
    {
        Policy = policy;
        Name = name;
        ComponentId = componentId;
        SequenceNo = sequenceNo;
        Params = parameters;
    }
}
