using FluentValidation;
using OrchRunService.Application.Common.Validation;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;

public sealed class CreateOrchRunCommandValidator : AbstractValidator<CreateOrchRunCommand>
{
    public const int MaxActualParams = 100;
    public const int MaxIdempotencyKeyLength = 200;

    public CreateOrchRunCommandValidator()
        : this(new RunParamsLimit(RunParamsLimit.Default))
    {
    }

    public CreateOrchRunCommandValidator(RunParamsLimit paramsLimit)
    {
        ArgumentNullException.ThrowIfNull(paramsLimit);
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.OrchestratorId).NotNull().WithMessage("orchestratorId is required.").OverridePropertyName("orchestratorId");
        RuleFor(c => c.ActualParams)
            .NotNull().WithMessage("_actualparams is required (an empty array when no step has parameters).")
            .Must(p => p is null || p.Count <= MaxActualParams).WithMessage($"_actualparams has at most {MaxActualParams} entries.")
            .OverridePropertyName("_actualparams");
        // What was sent; the run as stored (with the orchestrator's defaults) is checked again when it is added.
        RuleFor(c => c.ActualParams)
            .Must(p => p is null || ActualParamsBytes(p) <= paramsLimit.MaxBytes)
            .WithMessage(c => paramsLimit.TooLarge("_actualparams", ActualParamsBytes(c.ActualParams!)))
            .OverridePropertyName("_actualparams");
        RuleFor(c => c.IdempotencyKey)
            .Must(k => k is null || (k.Length is >= 1 and <= MaxIdempotencyKeyLength && k.All(ch => ch is >= '!' and <= '~')))
            .WithMessage($"Idempotency-Key must be 1-{MaxIdempotencyKeyLength} visible ASCII characters.")
            .OverridePropertyName("Idempotency-Key");
        RuleForEach(c => c.ActualParams).ChildRules(entry =>
        {
            entry.RuleFor(e => e.SequenceTypeId).NotEmpty().WithMessage("sequence_type_id is required.")
                .OverridePropertyName("sequence_type_id");
            entry.RuleFor(e => e.Params).JsonObjectOrAbsent().WellFormedJsonText().OverridePropertyName("params");
        }).OverridePropertyName("_actualparams");
    }

    private static long ActualParamsBytes(IReadOnlyList<ActualParamInput> actualParams) =>
        actualParams.Sum(p => p is null ? 0 : ParameterRules.StoredBytes(p.Params));
}
