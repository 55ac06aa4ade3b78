using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;

public sealed class CancelOrchRunCommandHandler : ICommandHandler<CancelOrchRunCommand, OrchRunDto>
{
    // A worker may change the run between our read and write (claim, step progress); one
    // fresh read is enough to apply the cancel on top of its change.
    private const int MaxAttempts = 3;

    private readonly IOrchRunRepository _runs;
    private readonly IRunCancellationSignal _cancellationSignal;
    private readonly TimeProvider _clock;

    public CancelOrchRunCommandHandler(IOrchRunRepository runs, IRunCancellationSignal cancellationSignal, TimeProvider clock)
    {
        _runs = runs;
        _cancellationSignal = cancellationSignal;
        _clock = clock;
    }

    public async ValueTask<OrchRunDto> Handle(CancelOrchRunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = Guid.Parse(command.Id!);
        for (var attempt = 1; ; attempt++)
        {
            var run = await _runs.FindAsync(id, command.Namespace, cancellationToken)
                ?? throw new NotFoundException("Orchestrator run", id);
            if (!run.RequestCancel(_clock.GetUtcNow()))
            {
                return run.ToDto();
            }

            try
            {
                await _runs.SaveChangesAsync(cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                continue;
            }

            _cancellationSignal.CancelRequested(run.Id);
            return run.ToDto();
        }
    }
}
