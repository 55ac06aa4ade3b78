using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Queries.ListSchedules;

public sealed class ListSchedulesQueryValidator : AbstractValidator<ListSchedulesQuery>
{
    public ListSchedulesQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.Offset).ValidOffset();
    }
}
