using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;

public sealed class DeleteOrchRunCommandHandler : ICommandHandler<DeleteOrchRunCommand>
{
    private const int MaxAttempts = 3;

    private readonly IOrchRunRepository _runs;
    private readonly IRunCancellationSignal _cancellationSignal;

    public DeleteOrchRunCommandHandler(IOrchRunRepository runs, IRunCancellationSignal cancellationSignal)
    {
        _runs = runs;
        _cancellationSignal = cancellationSignal;
    }

    public async ValueTask<Unit> Handle(DeleteOrchRunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = Guid.Parse(command.Id!);
        for (var attempt = 1; ; attempt++)
        {
            var run = await _runs.FindAsync(id, command.Namespace, cancellationToken)
                ?? throw new NotFoundException("Orchestrator run", id);
            _runs.Remove(run);
            try
            {
                await _runs.SaveChangesAsync(cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                continue;
            }

            // A worker in this process stops the run's connector now rather than at its next heartbeat.
            _cancellationSignal.CancelRequested(id);
            return Unit.Value;
        }
    }
}
