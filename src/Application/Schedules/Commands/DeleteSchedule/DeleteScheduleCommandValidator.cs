using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Commands.DeleteSchedule;

public sealed class DeleteScheduleCommandValidator : AbstractValidator<DeleteScheduleCommand>
{
    public DeleteScheduleCommandValidator()
    {
        RuleFor(c => c.Namespace).ValidNamespace();
    }
}
