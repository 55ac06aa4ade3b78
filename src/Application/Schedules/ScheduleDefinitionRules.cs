using FluentValidation;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules;

/// <summary>The wire checks a schedule's create and update share; the domain checks the cron, zone and window.</summary>
public static class ScheduleDefinitionRules
{
    public const int MaxActualParams = Domain.Schedules.Schedule.MaxActualParams;

    public static void AddScheduleDefinitionRules<T>(this AbstractValidator<T> validator, Func<T, ScheduleDefinitionInput> definition)
    {
        ArgumentNullException.ThrowIfNull(validator);
        validator.RuleFor(c => definition(c).OrchestratorId).NotNull().WithMessage("orchestratorId is required.").OverridePropertyName("orchestratorId");
        validator.RuleFor(c => definition(c).Cron)
            .NotEmpty().WithMessage("_cron is required.")
            .OverridePropertyName("_cron");
        validator.RuleFor(c => definition(c).Overlap)
            .Must(o => ScheduleWireNames.TryParseOverlap(o, out _))
            .WithMessage($"_overlap must be one of: {string.Join(", ", ScheduleWireNames.OverlapNames)}.")
            .OverridePropertyName("_overlap");
        validator.RuleFor(c => definition(c).Catchup)
            .Must(o => ScheduleWireNames.TryParseCatchup(o, out _))
            .WithMessage($"_catchup must be one of: {string.Join(", ", ScheduleWireNames.CatchupNames)}.")
            .OverridePropertyName("_catchup");
        validator.RuleFor(c => definition(c).StartAt)
            .Must(t => WireFormat.TryParseEpochMilliseconds(t, out _))
            .WithMessage("_startat must be Unix epoch milliseconds (a string of digits).")
            .OverridePropertyName("_startat");
        validator.RuleFor(c => definition(c).EndAt)
            .Must(t => WireFormat.TryParseEpochMilliseconds(t, out _))
            .WithMessage("_endat must be Unix epoch milliseconds (a string of digits).")
            .OverridePropertyName("_endat");
        validator.RuleFor(c => definition(c).ActualParams)
            .NotNull().WithMessage("_actualparams is required (an empty array when no step has parameters).")
            .Must(p => p is null || p.Count <= MaxActualParams).WithMessage($"_actualparams has at most {MaxActualParams} entries.")
            .OverridePropertyName("_actualparams");
        validator.RuleForEach(c => definition(c).ActualParams).ChildRules(entry =>
        {
            entry.RuleFor(e => e.SequenceTypeId).NotEmpty().WithMessage("sequence_type_id is required.")
                .OverridePropertyName("sequence_type_id");
            entry.RuleFor(e => e.Params).JsonObjectOrAbsent().WellFormedJsonText().OverridePropertyName("params");
        }).OverridePropertyName("_actualparams");
    }
}
