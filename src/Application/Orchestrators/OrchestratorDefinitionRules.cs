using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.Orchestrators;

/// <summary>
/// The rules that create and update share, and the step conversion to the domain. A step must
/// name a connector this service runs (refused with the known ones listed, rather than failing
/// when a run reaches the step) with parameters that connector could run.
/// </summary>
public static class OrchestratorDefinitionRules
{
    public static void AddDefinitionRules<T>(
        this AbstractValidator<T> validator,
        Func<T, string?> name,
        Func<T, string?> description,
        Func<T, string?> userType,
        Func<T, IReadOnlyList<OrchestratorStepInput>?> steps,
        IConnectorCatalog connectors,
        DefinitionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(connectors);
        ArgumentNullException.ThrowIfNull(limits);
        var maxSteps = limits.Steps.MaxSteps;
        validator.RuleFor(c => name(c))
            .NotEmpty().WithMessage("_name is required.")
            .MaximumLength(Orchestrator.MaxNameLength)
            .OverridePropertyName("_name");
        validator.RuleFor(c => description(c)).MaximumLength(Orchestrator.MaxDescriptionLength).OverridePropertyName("_description");
        validator.RuleFor(c => userType(c)).MaximumLength(Orchestrator.MaxUserTypeLength).OverridePropertyName("_usertype");
        validator.RuleFor(c => steps(c))
            .NotEmpty().WithMessage("steps must hold at least one step.")
            .Must(s => s is null || s.Count <= maxSteps)
            .WithMessage(c => $"steps has {steps(c)!.Count} entries; {OrchestratorStepLimit.ConfigurationKey} allows {maxSteps}.")
            .OverridePropertyName("steps");
        // Every run stores these defaults as its _runparams: a definition over the limit could never run.
        validator.RuleFor(c => steps(c))
            .Must(s => s is null || ParamsBytes(s) <= limits.RunParams.MaxBytes)
            .WithMessage(c => limits.RunParams.TooLarge("The steps' _params", ParamsBytes(steps(c)!)))
            .OverridePropertyName("steps");
        var known = string.Join(", ", connectors.All.Select(c => $"{c.ComponentId} ({c.Name})"));
        validator.RuleForEach(c => steps(c)).ChildRules(step =>
        {
            step.RuleFor(s => s.Name)
                .NotEmpty().WithMessage("_name is required.")
                .MaximumLength(Orchestrator.MaxNameLength)
                .OverridePropertyName("_name");
            step.RuleFor(s => s.ComponentId)
                .NotNull().WithMessage("_compid is required.")
                .Must(id => id is null || connectors.Find(id.Value) is not null)
                .WithMessage(s => $"_compid {s.ComponentId} is not a connector this service runs; known: {known}.")
                .OverridePropertyName("_compid");
            step.RuleFor(s => s.SequenceNo).GreaterThan(0).OverridePropertyName("_sequenceno");
            step.RuleFor(s => s.Params).JsonObjectOrAbsent().WellFormedJsonText().OverridePropertyName("_params");
            step.RuleFor(s => s).Custom((s, context) =>
            {
                if (ConnectorParameterRules.Problem(connectors, s.ComponentId, s.Params.ToJsonText()) is { } problem)
                {
                    context.AddFailure("_params", problem);
                }
            });
            step.RuleFor(s => s.TimeoutSeconds).InclusiveBetween(1, StepExecutionPolicy.MaxTimeoutSeconds).OverridePropertyName("_timeoutSeconds");
            step.RuleFor(s => s.Retries).InclusiveBetween(0, StepExecutionPolicy.MaxRetries).OverridePropertyName("_retries");
            step.RuleFor(s => s.RetryDelayMs).InclusiveBetween(0, StepExecutionPolicy.MaxRetryDelayMs).OverridePropertyName("_retryDelayMs");
        }).OverridePropertyName("steps");
    }

    private static long ParamsBytes(IReadOnlyList<OrchestratorStepInput> steps) =>
        steps.Sum(s => s is null ? 0 : ParameterRules.StoredBytes(s.Params));

    /// <summary>Steps without a sequence number take their position (1-based).</summary>
    public static IReadOnlyList<OrchestratorStepDefinition> ToDefinitions(IReadOnlyList<OrchestratorStepInput> steps) =>
        steps.Select((s, i) => new OrchestratorStepDefinition(
                s.Id,
                s.Name!.Trim(),
                s.ComponentId!.Value,
                s.SequenceNo ?? i + 1,
                StepParameters.FromJson(s.Params.ToJsonText(), $"Steps[{i}].Params"),
                StepExecutionPolicy.Create(s.TimeoutSeconds, s.Retries, s.RetryDelayMs, $"Steps[{i}]")))
            .ToList();
}
