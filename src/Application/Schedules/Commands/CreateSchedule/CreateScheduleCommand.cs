using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Commands.CreateSchedule;

/// <summary>Create a schedule in the namespace; it fires from the first slot after now.</summary>
public sealed record CreateScheduleCommand(string Namespace, ScheduleDefinitionInput Definition) : ICommand<ScheduleDto>, INamespaceScoped;
