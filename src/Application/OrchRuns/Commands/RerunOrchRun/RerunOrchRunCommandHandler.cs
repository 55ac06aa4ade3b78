using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;

public sealed class RerunOrchRunCommandHandler : ICommandHandler<RerunOrchRunCommand, OrchRunDto>
{
    private readonly IOrchRunRepository _runs;
    private readonly ICurrentUser _currentUser;
    private readonly RunEnqueuer _enqueuer;
    private readonly TimeProvider _clock;

    public RerunOrchRunCommandHandler(IOrchRunRepository runs, ICurrentUser currentUser, RunEnqueuer enqueuer, TimeProvider clock)
    {
        _runs = runs;
        _currentUser = currentUser;
        _enqueuer = enqueuer;
        _clock = clock;
    }

    public static bool TryParseFrom(string? text, out RerunFrom from)
    {
        from = RerunFrom.Failed;
        if (string.IsNullOrEmpty(text) || text.Equals("failed", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        from = RerunFrom.First;
        return text.Equals("first", StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask<OrchRunDto> Handle(RerunOrchRunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = command.Id;
        TryParseFrom(command.FromStep, out var from);
        var source = await _runs.FindAsync(id, command.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator run", id);
        var rerun = OrchRun.Rerun(source, from, _currentUser.UserId, _clock.GetUtcNow());

        return (await _enqueuer.EnqueueAsync(rerun, idempotentRequest: null, cancellationToken)).ToDto();
    }
}
