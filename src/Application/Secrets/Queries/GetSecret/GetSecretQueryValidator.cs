using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Secrets.Queries.GetSecret;

public sealed class GetSecretQueryValidator : AbstractValidator<GetSecretQuery>
{
    public GetSecretQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
        RuleFor(q => q.Name).ValidSecretName();
    }
}
