using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Schedules.Queries.GetScheduleHistory;

public sealed class GetScheduleHistoryQueryValidator : AbstractValidator<GetScheduleHistoryQuery>
{
    public GetScheduleHistoryQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.Offset).ValidOffset();
    }
}
