using System.Reflection;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>
/// Detached copies of a run and its steps, as a database hands out on every load. The aggregate
/// has no public copy, so the fake store clones its private state by reflection.
/// </summary>
internal static class OrchRunCopies
{
    private static readonly MethodInfo MemberwiseCloneMethod =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private static readonly FieldInfo StepsField =
        typeof(OrchRun).GetField("_steps", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("OrchRun no longer keeps its steps in _steps; update the test fake.");

    public static OrchRun Copy(OrchRun run)
    {
        var copy = (OrchRun)MemberwiseCloneMethod.Invoke(run, null)!;
        StepsField.SetValue(copy, run.Steps.Select(s => (OrchRunStep)MemberwiseCloneMethod.Invoke(s, null)!).ToList());
        return copy;
    }
}
