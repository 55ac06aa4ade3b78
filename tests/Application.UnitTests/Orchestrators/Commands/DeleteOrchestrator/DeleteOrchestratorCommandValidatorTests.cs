using FluentValidation;
using OrchRunService.Application.Orchestrators.Commands.DeleteOrchestrator;

namespace OrchRunService.Application.UnitTests.Orchestrators.Commands.DeleteOrchestrator;

public class DeleteOrchestratorCommandValidatorTests : IdAndNamespaceValidatorTests<DeleteOrchestratorCommand>
{
    protected override IValidator<DeleteOrchestratorCommand> Validator { get; } = new DeleteOrchestratorCommandValidator();

    protected override DeleteOrchestratorCommand Request(string @namespace, Guid id) => new(@namespace, id);
}
