using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;

public sealed class ListOrchestratorsQueryValidator : AbstractValidator<ListOrchestratorsQuery>
{
    public ListOrchestratorsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.Offset).ValidOffset();
    }
}
