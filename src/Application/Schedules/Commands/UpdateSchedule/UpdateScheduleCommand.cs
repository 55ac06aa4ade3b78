using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Commands.UpdateSchedule;

/// <summary>Replace a schedule's definition (<c>_enabled: false</c> pauses it, <c>true</c> resumes it).</summary>
/// <param name="Namespace">The nsfilter.</param>
/// <param name="Id">The schedule (path id).</param>
/// <param name="BodyId">The body's id, which must equal <paramref name="Id"/> when given.</param>
/// <param name="Definition">The new definition.</param>
public sealed record UpdateScheduleCommand(string Namespace, Guid Id, string? BodyId, ScheduleDefinitionInput Definition) : ICommand<ScheduleDto>, INamespaceScoped;
