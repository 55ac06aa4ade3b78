using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

public sealed class GetOrchRunQueryValidator : AbstractValidator<GetOrchRunQuery>
{
    public GetOrchRunQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
    }
}
