using FluentValidation;
using OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;

namespace OrchRunService.Application.UnitTests.OrchRuns.Commands.DeleteOrchRun;

public class DeleteOrchRunCommandValidatorTests : IdAndNamespaceValidatorTests<DeleteOrchRunCommand>
{
    protected override IValidator<DeleteOrchRunCommand> Validator { get; } = new DeleteOrchRunCommandValidator();

    protected override DeleteOrchRunCommand Request(string @namespace, Guid id) => new(@namespace, id);
}
