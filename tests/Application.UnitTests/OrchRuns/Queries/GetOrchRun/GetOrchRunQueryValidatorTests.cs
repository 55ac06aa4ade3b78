using FluentValidation;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRun;

public class GetOrchRunQueryValidatorTests : IdAndNamespaceValidatorTests<GetOrchRunQuery>
{
    protected override IValidator<GetOrchRunQuery> Validator { get; } = new GetOrchRunQueryValidator();

    protected override GetOrchRunQuery Request(string @namespace, Guid id) => new(@namespace, id);
}
