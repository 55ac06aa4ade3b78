using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.Schedules.Commands.UpdateSchedule;

public sealed class UpdateScheduleCommandHandler : ICommandHandler<UpdateScheduleCommand, ScheduleDto>
{
    private readonly IScheduleRepository _schedules;
    private readonly IOrchestratorRepository _orchestrators;
    private readonly IConnectorCatalog _connectors;
    private readonly ICurrentUser _currentUser;
    private readonly ScheduleSettings _settings;
    private readonly TimeProvider _clock;

    public UpdateScheduleCommandHandler(
        IScheduleRepository schedules,
        IOrchestratorRepository orchestrators,
        IConnectorCatalog connectors,
        ICurrentUser currentUser,
        ScheduleSettings settings,
        TimeProvider clock)
    {
        _schedules = schedules;
        _orchestrators = orchestrators;
        _connectors = connectors;
        _currentUser = currentUser;
        _settings = settings;
        _clock = clock;
    }

    public async ValueTask<ScheduleDto> Handle(UpdateScheduleCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var schedule = await _schedules.FindAsync(command.Id, command.Namespace, cancellationToken)
            ?? throw new NotFoundException("Schedule", command.Id);
        var now = _clock.GetUtcNow();
        var definition = await ScheduleDefinition.ReadAsync(
            command.Namespace, command.Definition, _orchestrators, _connectors, _settings, _currentUser.UserId, now, cancellationToken);
        schedule.Update(
            definition.Orchestrator.Id,
            definition.Cron,
            definition.ActualParams,
            definition.Enabled,
            definition.Overlap,
            definition.Catchup,
            definition.StartAt,
            definition.EndAt,
            now);

        // The revision check makes a fire that read the old definition roll back (it fires by the new one).
        await _schedules.SaveChangesAsync(cancellationToken);
        return schedule.ToDto(now);
    }
}
