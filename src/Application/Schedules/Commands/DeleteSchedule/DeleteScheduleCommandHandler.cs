using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Commands.DeleteSchedule;

public sealed class DeleteScheduleCommandHandler : ICommandHandler<DeleteScheduleCommand>
{
    private readonly IScheduleRepository _schedules;

    public DeleteScheduleCommandHandler(IScheduleRepository schedules)
    {
        _schedules = schedules;
    }

    public async ValueTask<Unit> Handle(DeleteScheduleCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var schedule = await _schedules.FindAsync(command.Id, command.Namespace, cancellationToken)
            ?? throw new NotFoundException("Schedule", command.Id);
        _schedules.Remove(schedule);
        await _schedules.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
