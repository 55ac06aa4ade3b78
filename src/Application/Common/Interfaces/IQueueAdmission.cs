namespace OrchRunService.Application.Common.Interfaces;

/// <summary>An open admission transaction for one namespace; disposing without commit rolls back.</summary>
public interface IQueueAdmission : IAsyncDisposable
{
    /// <summary>QUEUED runs in the namespace, counted inside the transaction.</summary>
    int QueuedRuns { get; }

    /// <summary>Saves the added run and commits.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
