namespace OrchRunService.Domain.Schedules;

/// <summary>A slot whose time has come: it either tries to fire or is recorded as missed.</summary>
public sealed record DueSlot(DateTimeOffset Slot, bool Fires);
