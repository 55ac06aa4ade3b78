using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Schedules;

public sealed class ScheduleLimitExceededException : DomainException
{
    public ScheduleLimitExceededException(string @namespace, int limit)
        : base($"Namespace '{@namespace}' already has {limit} schedules (Schedules:MaxPerNamespace); delete one first.")
    {
        Namespace = @namespace;
        Limit = limit;
    }

    public string Namespace { get; }

    public int Limit { get; }
}
