using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Commands.UpdateSchedule;

public sealed class UpdateScheduleCommandValidator : AbstractValidator<UpdateScheduleCommand>
{
    public UpdateScheduleCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        RuleFor(c => c.BodyId)
            .Must((c, bodyId) => bodyId is null || (Guid.TryParse(bodyId, out var b) && b == c.Id))
            .WithMessage("The body id, when given, must equal the id in the path.")
            .OverridePropertyName("body.id");
        this.AddScheduleDefinitionRules(c => c.Definition);
    }
}
