using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.RerunOrchRun;

public sealed class RerunOrchRunCommandHandler : ICommandHandler<RerunOrchRunCommand, OrchRunDto>
{
    private readonly IOrchRunRepository _runs;
    private readonly ICurrentUser _currentUser;
    private readonly QueuedRunLimit _limit;
    private readonly IRunQueueSignal _queueSignal;
    private readonly TimeProvider _clock;

    public RerunOrchRunCommandHandler(IOrchRunRepository runs, ICurrentUser currentUser, QueuedRunLimit limit, IRunQueueSignal queueSignal, TimeProvider clock)
    {
        _runs = runs;
        _currentUser = currentUser;
        _limit = limit;
        _queueSignal = queueSignal;
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

        await using (var admission = await _runs.BeginQueueAdmissionAsync(command.Namespace, cancellationToken))
        {
            _limit.EnsureRoomFor(command.Namespace, admission.QueuedRuns);
            _runs.Add(rerun);
            await admission.CommitAsync(cancellationToken);
        }

        _queueSignal.RunQueued();
        OrchRunMetrics.RunCreated(rerun.Namespace);
        return rerun.ToDto();
    }
}
