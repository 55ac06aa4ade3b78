namespace OrchRunService.Application.Common.Models;

/// <summary>A schedule with a slot due, as the firing scan finds it.</summary>
public sealed record DueSchedule(Guid Id, string Namespace, DateTimeOffset NextFireAt);
