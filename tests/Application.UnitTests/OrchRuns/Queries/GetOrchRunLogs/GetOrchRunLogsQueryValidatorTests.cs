using FluentValidation;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRunLogs;

public class GetOrchRunLogsQueryValidatorTests : IdAndNamespaceValidatorTests<GetOrchRunLogsQuery>
{
    protected override IValidator<GetOrchRunLogsQuery> Validator { get; } = new GetOrchRunLogsQueryValidator();

    protected override GetOrchRunLogsQuery Request(string @namespace, Guid id) => new(@namespace, id);
}
