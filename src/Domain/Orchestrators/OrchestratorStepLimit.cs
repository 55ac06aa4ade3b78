namespace OrchRunService.Domain.Orchestrators;

/// <summary>
/// The most steps an orchestrator may have (<c>Orchestrators:MaxSteps</c>): every run copies them,
/// so this bounds a run's rows and the size of a page of runs. At most
/// <see cref="Orchestrator.MaxSteps"/>, the ceiling no configuration passes.
/// </summary>
public sealed record OrchestratorStepLimit
{
    public const int Default = 100;

    public const string ConfigurationKey = "Orchestrators:MaxSteps";

    public OrchestratorStepLimit(int maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSteps, Orchestrator.MaxSteps);
        MaxSteps = maxSteps;
    }

    public int MaxSteps { get; }
}
