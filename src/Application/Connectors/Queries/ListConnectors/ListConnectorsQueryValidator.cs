using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Connectors.Queries.ListConnectors;

public sealed class ListConnectorsQueryValidator : AbstractValidator<ListConnectorsQuery>
{
    public ListConnectorsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
    }
}
