using FluentValidation;
using OrchRunService.Application.Orchestrators.Queries.GetOrchestrator;

namespace OrchRunService.Application.UnitTests.Orchestrators.Queries.GetOrchestrator;

public class GetOrchestratorQueryValidatorTests : IdAndNamespaceValidatorTests<GetOrchestratorQuery>
{
    protected override IValidator<GetOrchestratorQuery> Validator { get; } = new GetOrchestratorQueryValidator();

    protected override GetOrchestratorQuery Request(string @namespace, Guid id) => new(@namespace, id);
}
