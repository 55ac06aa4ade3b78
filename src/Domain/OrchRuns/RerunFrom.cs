namespace OrchRunService.Domain.OrchRuns;

/// <summary>Where a rerun starts.</summary>
public enum RerunFrom
{
    /// <summary>At the first step that did not complete; the completed ones before it keep their result.</summary>
    Failed = 1,

    /// <summary>At the first step: everything runs again.</summary>
    First = 2,
}
