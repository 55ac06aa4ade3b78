using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed class GetOrchRunLogsQueryValidator : AbstractValidator<GetOrchRunLogsQuery>
{
    public const int MaxTail = 100_000;

    public GetOrchRunLogsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.FromLine).GreaterThanOrEqualTo(0).OverridePropertyName("fromLine");
        RuleFor(q => q.Tail).InclusiveBetween(1, MaxTail).OverridePropertyName("tail");
        RuleFor(q => q.Tail).Null().When(q => q.FromLine is not null)
            .WithMessage("Give fromLine or tail, not both.").OverridePropertyName("tail");
    }
}
