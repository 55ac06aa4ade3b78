using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

public sealed class ListOrchRunsQueryValidator : AbstractValidator<ListOrchRunsQuery>
{
    public ListOrchRunsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.Offset).ValidOffset();
        RuleFor(q => q.Status)
            .Must(s => RunListFilterParser.TryParseStatuses(s, out _))
            .WithMessage($"_status must be one of {string.Join(", ", RunListFilterParser.WireNames)}, or a comma-separated list of them.")
            .OverridePropertyName("_status");
        RuleFor(q => q.StartDate)
            .Must(d => RunListFilterParser.TryParseStart(d, out _))
            .WithMessage("startDate must be an ISO 8601 date or date-time, or epoch milliseconds.")
            .OverridePropertyName("startDate");
        RuleFor(q => q.EndDate)
            .Must(d => RunListFilterParser.TryParseEnd(d, out _))
            .WithMessage("endDate must be an ISO 8601 date or date-time, or epoch milliseconds.")
            .OverridePropertyName("endDate");
        RuleFor(q => q)
            .Must(q => !RunListFilterParser.TryParseStart(q.StartDate, out var start)
                       || !RunListFilterParser.TryParseEnd(q.EndDate, out var end)
                       || start is null || end is null || start <= end)
            .WithMessage("startDate is after endDate.")
            .OverridePropertyName("startDate");
    }
}
