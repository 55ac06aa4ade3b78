namespace OrchRunService.Infrastructure.Worker;

/// <summary>This process's identity as a worker node (<c>Worker:NodeId</c>, else a new GUID per process).</summary>
public sealed record WorkerNode(string Id);
