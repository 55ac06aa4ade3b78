using FluentValidation;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Orchestrators;

/// <summary>
/// A step must name a connector this service runs: refused at create and update with the known
/// ones listed, rather than failing later when a run reaches the step.
/// </summary>
public static class KnownConnectorRules
{
    public static void AddKnownConnectorRule<T>(this AbstractValidator<T> validator, IConnectorCatalog connectors, Func<T, IReadOnlyList<OrchestratorStepInput>?> steps)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(connectors);
        var known = string.Join(", ", connectors.All.Select(c => $"{c.ComponentId} ({c.Name})"));
        validator.RuleForEach(c => steps(c)).ChildRules(step =>
            step.RuleFor(s => s.ComponentId)
                .Must(id => !Guid.TryParse(id, out var componentId) || connectors.Find(componentId) is not null)
                .WithMessage(s => $"_compid {s.ComponentId} is not a connector this service runs; known: {known}.")
                .OverridePropertyName("_compid"))
            .OverridePropertyName("steps");
    }
}
