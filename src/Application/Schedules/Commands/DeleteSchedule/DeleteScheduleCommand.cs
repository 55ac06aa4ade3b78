using Mediator;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Schedules.Commands.DeleteSchedule;

/// <summary>Remove a schedule and its history; the runs it created stay.</summary>
public sealed record DeleteScheduleCommand(string Namespace, Guid Id) : ICommand, INamespaceScoped;
