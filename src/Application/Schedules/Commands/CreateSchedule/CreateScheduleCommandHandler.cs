using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules.Commands.CreateSchedule;

public sealed class CreateScheduleCommandHandler : ICommandHandler<CreateScheduleCommand, ScheduleDto>
{
    private readonly IScheduleRepository _schedules;
    private readonly IOrchestratorRepository _orchestrators;
    private readonly IOrchRunRepository _runs;
    private readonly IConnectorCatalog _connectors;
    private readonly ICurrentUser _currentUser;
    private readonly ScheduleSettings _settings;
    private readonly TimeProvider _clock;

    public CreateScheduleCommandHandler(
        IScheduleRepository schedules,
        IOrchestratorRepository orchestrators,
        IOrchRunRepository runs,
        IConnectorCatalog connectors,
        ICurrentUser currentUser,
        ScheduleSettings settings,
        TimeProvider clock)
    {
        _schedules = schedules;
        _orchestrators = orchestrators;
        _runs = runs;
        _connectors = connectors;
        _currentUser = currentUser;
        _settings = settings;
        _clock = clock;
    }

    public async ValueTask<ScheduleDto> Handle(CreateScheduleCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = _clock.GetUtcNow();
        var definition = await ScheduleDefinition.ReadAsync(
            command.Namespace, command.Definition, _orchestrators, _connectors, _settings, _currentUser.UserId, now, cancellationToken);
        var schedule = Schedule.Create(
            command.Namespace,
            definition.Orchestrator.Id,
            definition.Cron,
            definition.ActualParams,
            definition.Enabled,
            definition.Overlap,
            definition.Catchup,
            definition.StartAt,
            definition.EndAt,
            _currentUser.UserId,
            now);

        // The namespace's serialised transaction: concurrent creates cannot both see room for one more.
        await using (var transaction = await _runs.BeginNamespaceTransactionAsync(command.Namespace, cancellationToken))
        {
            _settings.Limit.EnsureRoomFor(command.Namespace, await _schedules.CountAsync(command.Namespace, cancellationToken));
            _schedules.Add(schedule);
            await transaction.CommitAsync(cancellationToken);
        }

        return schedule.ToDto(now);
    }
}
