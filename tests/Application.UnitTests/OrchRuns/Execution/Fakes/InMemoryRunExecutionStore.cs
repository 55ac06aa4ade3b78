using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>
/// An in-memory <see cref="IRunExecutionStore"/> over the aggregates the tests build through
/// <see cref="OrchRun"/>'s factory and methods. It keeps the one instance of each run (no copies:
/// a race that needs a stale copy, a save conflicting with a change made meanwhile, is tested
/// against the database in the integration tests). Every save is guarded like the database's:
/// a change or delete made by someone else since the saver's last load is a
/// <see cref="ConcurrencyConflictException"/>, and log appends are refused with
/// <see cref="RunLostException"/> once the claim is stale.
/// </summary>
internal sealed class InMemoryRunExecutionStore : IRunExecutionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Stored> _runs = [];
    private readonly List<RunLogLine> _lines = [];
    private readonly List<SaveRecord> _saves = [];
    private readonly List<IReadOnlyList<RunLogLine>> _appends = [];

    /// <summary>Called at the start of every save, before any check; throw from it to make the save fail.</summary>
    public Action<OrchRun>? OnSave { get; set; }

    /// <summary>Called at the start of every log append; throw from it to make the append fail.</summary>
    public Action<RunClaim>? OnAppend { get; set; }

    public IReadOnlyList<SaveRecord> Saves
    {
        get
        {
            lock (_gate)
            {
                return _saves.ToList();
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<RunLogLine>> Appends
    {
        get
        {
            lock (_gate)
            {
                return _appends.ToList();
            }
        }
    }

    /// <summary>Stores a run built by the test, as if another party wrote it.</summary>
    public void Put(OrchRun run)
    {
        lock (_gate)
        {
            _runs[run.Id] = new Stored(run, Version: 1, SeenVersion: 1);
        }
    }

    /// <summary>Adds log lines written earlier (by a previous attempt, say).</summary>
    public void PutLines(IEnumerable<RunLogLine> lines)
    {
        lock (_gate)
        {
            _lines.AddRange(lines);
        }
    }

    /// <summary>Someone else (the API) changes the run: the next save of a party that has not loaded it since conflicts.</summary>
    public void Change(Guid runId, Action<OrchRun> change)
    {
        lock (_gate)
        {
            var stored = _runs[runId];
            change(stored.Run);
            _runs[runId] = stored with { Version = stored.Version + 1 };
        }
    }

    /// <summary>The API deletes the run, its steps and its log.</summary>
    public void Delete(Guid runId)
    {
        lock (_gate)
        {
            _runs.Remove(runId);
            _lines.RemoveAll(l => l.RunId == runId);
        }
    }

    /// <summary>The run as stored now, or null when deleted.</summary>
    public OrchRun? Find(Guid runId)
    {
        lock (_gate)
        {
            return _runs.TryGetValue(runId, out var stored) ? stored.Run : null;
        }
    }

    public IReadOnlyList<RunLogLine> LinesOf(Guid runId)
    {
        lock (_gate)
        {
            return _lines.Where(l => l.RunId == runId).OrderBy(l => l.Sequence).ToList();
        }
    }

    public Task<IQueuedRunsClaim?> BeginClaimAsync(int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var oldest = _runs.Values.Select(s => s.Run)
                .Where(r => r.Status == OrchRunStatus.Queued)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .Take(max)
                .ToList()
                .Select(r => new QueuedRun(
                    LoadAsync(r.Id, cancellationToken).Result!,
                    _lines.Where(l => l.RunId == r.Id).Select(l => l.Sequence).DefaultIfEmpty(0).Max()))
                .ToList();
            return Task.FromResult<IQueuedRunsClaim?>(oldest.Count == 0 ? null : new BatchClaim(this, oldest));
        }
    }

    public Task<OrchRun?> LoadAsync(Guid runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var stored))
            {
                return Task.FromResult<OrchRun?>(null);
            }

            _runs[runId] = stored with { SeenVersion = stored.Version };
            return Task.FromResult<OrchRun?>(stored.Run);
        }
    }

    public Task<long> GetLastLogSequenceAsync(Guid runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_lines.Where(l => l.RunId == runId).Select(l => l.Sequence).DefaultIfEmpty(0).Max());
        }
    }

    public Task SaveAsync(OrchRun run, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        OnSave?.Invoke(run);
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.Id, out var stored) || stored.SeenVersion != stored.Version)
            {
                throw new ConcurrencyConflictException("The run was changed or removed meanwhile.");
            }

            _runs[run.Id] = new Stored(run, stored.Version + 1, stored.Version + 1);
            _lines.AddRange(lines);
            _saves.Add(new SaveRecord(run.Status, run.Attempt, lines.ToList()));
        }

        return Task.CompletedTask;
    }

    public Task AppendLogAsync(RunClaim claim, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        OnAppend?.Invoke(claim);
        lock (_gate)
        {
            if (!_runs.TryGetValue(claim.RunId, out var stored) || stored.Run.NodeId != claim.NodeId || stored.Run.Attempt != claim.Attempt)
            {
                throw new RunLostException(claim.RunId);
            }

            _lines.AddRange(lines);
            _appends.Add(lines.ToList());
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Guid>> FindExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<Guid> ids = _runs.Values.Select(s => s.Run)
                .Where(r => r.Status is OrchRunStatus.Running or OrchRunStatus.RequestCancel && r.LeaseExpiresAt < now)
                .OrderBy(r => r.LeaseExpiresAt)
                .Select(r => r.Id)
                .Take(max)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyList<Guid>> FindUnclaimedCancelsAsync(int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<Guid> ids = _runs.Values.Select(s => s.Run)
                .Where(r => r.Status == OrchRunStatus.RequestCancel && r.NodeId is null)
                .OrderBy(r => r.CreatedAt)
                .Select(r => r.Id)
                .Take(max)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    /// <summary>A claim in memory: each run saved (guarded) with its own lines.</summary>
    private sealed class BatchClaim(InMemoryRunExecutionStore store, IReadOnlyList<QueuedRun> runs) : IQueuedRunsClaim
    {
        public IReadOnlyList<QueuedRun> Runs => runs;

        public async Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
        {
            foreach (var queued in runs)
            {
                await store.SaveAsync(queued.Run, lines.Where(l => l.RunId == queued.Run.Id).ToList(), cancellationToken);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>One successful save: the run's status and attempt as saved, and the lines saved with it.</summary>
    internal sealed record SaveRecord(OrchRunStatus Status, int Attempt, IReadOnlyList<RunLogLine> Lines);

    /// <summary>A run, its version, and the version the last load or save saw (a save from an older one conflicts).</summary>
    private sealed record Stored(OrchRun Run, int Version, int SeenVersion);
}
