namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>What a load or a refused save says about this node's claim on a run.</summary>
public enum ClaimState
{
    /// <summary>Still this node's claim, RUNNING.</summary>
    Held = 1,

    /// <summary>Still this node's claim, but a cancel was requested: the run is to be cancelled.</summary>
    CancelRequested = 2,

    /// <summary>Deleted, finished, or claimed again by another node: this node must stop writing.</summary>
    Lost = 3,
}
