using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Commands.CreateSchedule;

public sealed class CreateScheduleCommandValidator : AbstractValidator<CreateScheduleCommand>
{
    public CreateScheduleCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
        this.AddScheduleDefinitionRules(c => c.Definition);
    }
}
