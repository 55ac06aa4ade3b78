using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;

public sealed class GetOrchestratorQueryValidator : AbstractValidator<GetOrchestratorQuery>
{
    public GetOrchestratorQueryValidator()
    {
        RuleFor(q => q.Namespace).ValidNamespace();
    }
}
