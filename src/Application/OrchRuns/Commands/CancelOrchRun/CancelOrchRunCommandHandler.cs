using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Commands.CancelOrchRun;

public sealed class CancelOrchRunCommandHandler : ICommandHandler<CancelOrchRunCommand, OrchRunDto>
{
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
        var (run, saved) = await RunChangeWithRetry.ApplyAsync(
            _runs, command.Id, command.Namespace, r => r.RequestCancel(_clock.GetUtcNow()), cancellationToken);
        if (saved)
        {
            _cancellationSignal.CancelRequested(run.Id);
        }

        return run.ToDto();
    }
}
