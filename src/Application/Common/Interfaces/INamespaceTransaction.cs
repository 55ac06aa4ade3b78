namespace OrchRunService.Application.Common.Interfaces;

/// <summary>A transaction that holds one namespace's writers in line, so concurrent creates cannot both
/// see room for one more queued run; disposing it without commit rolls back.</summary>
public interface INamespaceTransaction : IAsyncDisposable
{
    /// <summary>QUEUED runs in the namespace, counted inside the transaction.</summary>
    int QueuedRuns { get; }

    /// <summary>Saves the added run and commits.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
