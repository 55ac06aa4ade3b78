using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.OrchRuns;

public sealed class QueuedRunLimitExceededException : DomainException
{
    public QueuedRunLimitExceededException(string @namespace, int limit)
        : base($"Namespace '{@namespace}' already has {limit} queued runs; try again when some have started.")
    {
        Namespace = @namespace;
        Limit = limit;
    }

    public string Namespace { get; }

    public int Limit { get; }
}
