using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed class GetOrchRunLogsQueryValidator : AbstractValidator<GetOrchRunLogsQuery>
{
    public GetOrchRunLogsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.Id).ValidId("id");
    }
}
