using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Secrets.Queries.ListSecrets;

public sealed class ListSecretsQueryValidator : AbstractValidator<ListSecretsQuery>
{
    public ListSecretsQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.Offset).ValidOffset();
    }
}
