using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.DeleteOrchRun;

public sealed class DeleteOrchRunCommandHandler : ICommandHandler<DeleteOrchRunCommand>
{
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
        var id = command.Id;
        await RunChangeWithRetry.ApplyAsync(
            _runs,
            id,
            command.Namespace,
            r =>
            {
                _runs.Remove(r);
                return true;
            },
            cancellationToken);

        // A worker in this process stops the run's connector now rather than at its next heartbeat.
        _cancellationSignal.CancelRequested(id);
        return Unit.Value;
    }
}
