using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// Runs as the queries answer them, on every provider: untracked compiled queries that project
/// each run and its steps (one statement) straight into the DTOs, with no entity materialised.
/// A null filter parameter drops its condition: EF caches one SQL text per pattern of null parameters.
/// </summary>
internal sealed class OrchRunReadModel : IOrchRunReadModel
{
    private static readonly Expression<Func<OrchRun, OrchRunDto>> ToDto = r => new OrchRunDto
    {
        Id = r.Id,
        OrchestratorId = r.OrchestratorId,
        Name = r.Name,
        Description = r.Description,
        Namespaces = new[] { r.Namespace },
        UserType = r.UserType,
        CreatedBy = r.CreatedBy,
        CreatedAt = WireFormat.ToEpochMilliseconds(r.CreatedAt),
        UpdatedAt = WireFormat.ToEpochMilliseconds(r.UpdatedAt),
        Status = r.Status,
        Result = r.Result,
        RerunOfId = r.RerunOfId,
        ScheduleId = r.ScheduleId,
        ScheduledFor = r.ScheduledFor == null ? null : WireFormat.ToEpochMilliseconds(r.ScheduledFor.Value),
        Steps = r.Steps.OrderBy(s => s.SequenceNo).ThenBy(s => s.Id).Select(s => new OrchRunStepDto
        {
            Id = s.Id,
            Name = s.Name,
            OrchestratorStepId = s.OrchestratorStepId,
            ComponentId = s.ComponentId,
            RunId = s.RunId,
            ActualParams = s.ActualParams.Json,
            SequenceNo = s.SequenceNo,
            RunParams = s.RunParams.Json,
            Status = s.Status,
            StatusMessage = s.StatusMessage,
            StartedAt = s.StartedAt == null ? null : WireFormat.ToEpochMilliseconds(s.StartedAt.Value),
            FinishedAt = s.FinishedAt == null ? null : WireFormat.ToEpochMilliseconds(s.FinishedAt.Value),
        }).ToList(),
    };

    /// <summary>
    /// Compiled queries are bound to the model they were first run with: one set per context
    /// type, so that a process (a test run) using two providers gives each its own.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, CompiledQueries> QueriesByContext = new();

    private readonly OrchRunDbContext _db;
    private readonly CompiledQueries _queries;

    public OrchRunReadModel(OrchRunDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _queries = QueriesByContext.GetOrAdd(db.GetType(), _ => new CompiledQueries());
    }

    public Task<OrchRunDto?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        _queries.Find(_db, id, @namespace, cancellationToken);

    public async Task<PagedResult<OrchRunDto>> ListAsync(OrchRunListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);

        // Distinct and ordered: the same set of statuses is the same parameter whatever order it came in.
        var statuses = filter.Statuses.Distinct().Order().ToArray();
        OrchRunStatus? status = statuses.Length == 1 ? statuses[0] : null;
        var from = filter.CreatedFrom;
        var until = filter.CreatedUntilLastTick;
        var orchestrator = filter.OrchestratorId;

        // The count and the page share one opening of the connection.
        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Without date bounds or an orchestrator the total is a lookup where the provider keeps counts (SQLite), not a count of every matching run.
            var kept = from is null && until is null && orchestrator is null
                ? await _db.CountRunsAsync(filter.Namespace, statuses, cancellationToken)
                : null;
            var total = kept is { } counted
                ? (int)counted
                : statuses.Length > 1
                    ? await _queries.CountOfStatuses(_db, filter.Namespace, statuses, from, until, orchestrator, cancellationToken)
                    : await _queries.CountOfOneOrEveryStatus(_db, filter.Namespace, status, from, until, orchestrator, cancellationToken);

            // A window starting past the end (a request for the count alone) is not queried.
            if (total <= filter.Offset)
            {
                return new PagedResult<OrchRunDto>([], total);
            }

            var page = statuses.Length > 1
                ? _queries.PageOfStatuses(_db, filter.Namespace, statuses, from, until, orchestrator, filter.Offset, filter.PageSize)
                : _queries.PageOfOneOrEveryStatus(_db, filter.Namespace, status, from, until, orchestrator, filter.Offset, filter.PageSize);
            var runs = new List<OrchRunDto>(filter.PageSize);
            await foreach (var run in page.WithCancellation(cancellationToken))
            {
                runs.Add(run);
            }

            return new PagedResult<OrchRunDto>(runs, total);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private sealed class CompiledQueries
    {
        public Func<OrchRunDbContext, Guid, string, CancellationToken, Task<OrchRunDto?>> Find { get; } =
            EF.CompileAsyncQuery((OrchRunDbContext db, Guid id, string @namespace, CancellationToken _) =>
                db.OrchRuns.AsNoTracking().Where(r => r.Id == id && r.Namespace == @namespace).Select(ToDto).SingleOrDefault());

        public Func<OrchRunDbContext, string, OrchRunStatus?, DateTimeOffset?, DateTimeOffset?, Guid?, int, int, IAsyncEnumerable<OrchRunDto>> PageOfOneOrEveryStatus { get; } =
            EF.CompileAsyncQuery((OrchRunDbContext db, string @namespace, OrchRunStatus? status, DateTimeOffset? from, DateTimeOffset? until, Guid? orchestrator, int skip, int take) =>
                db.OrchRuns.AsNoTracking()
                    .Where(r => r.Namespace == @namespace && (status == null || r.Status == status)
                        && (from == null || r.CreatedAt >= from) && (until == null || r.CreatedAt <= until)
                        && (orchestrator == null || r.OrchestratorId == orchestrator))
                    .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                    .Skip(skip).Take(take)
                    .Select(ToDto));

        public Func<OrchRunDbContext, string, OrchRunStatus[], DateTimeOffset?, DateTimeOffset?, Guid?, int, int, IAsyncEnumerable<OrchRunDto>> PageOfStatuses { get; } =
            EF.CompileAsyncQuery((OrchRunDbContext db, string @namespace, OrchRunStatus[] statuses, DateTimeOffset? from, DateTimeOffset? until, Guid? orchestrator, int skip, int take) =>
                db.OrchRuns.AsNoTracking()
                    .Where(r => r.Namespace == @namespace && statuses.Contains(r.Status)
                        && (from == null || r.CreatedAt >= from) && (until == null || r.CreatedAt <= until)
                        && (orchestrator == null || r.OrchestratorId == orchestrator))
                    .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                    .Skip(skip).Take(take)
                    .Select(ToDto));

        public Func<OrchRunDbContext, string, OrchRunStatus?, DateTimeOffset?, DateTimeOffset?, Guid?, CancellationToken, Task<int>> CountOfOneOrEveryStatus { get; } =
            EF.CompileAsyncQuery((OrchRunDbContext db, string @namespace, OrchRunStatus? status, DateTimeOffset? from, DateTimeOffset? until, Guid? orchestrator, CancellationToken _) =>
                db.OrchRuns.Count(r => r.Namespace == @namespace && (status == null || r.Status == status)
                    && (from == null || r.CreatedAt >= from) && (until == null || r.CreatedAt <= until)
                        && (orchestrator == null || r.OrchestratorId == orchestrator)));

        public Func<OrchRunDbContext, string, OrchRunStatus[], DateTimeOffset?, DateTimeOffset?, Guid?, CancellationToken, Task<int>> CountOfStatuses { get; } =
            EF.CompileAsyncQuery((OrchRunDbContext db, string @namespace, OrchRunStatus[] statuses, DateTimeOffset? from, DateTimeOffset? until, Guid? orchestrator, CancellationToken _) =>
                db.OrchRuns.Count(r => r.Namespace == @namespace && statuses.Contains(r.Status)
                    && (from == null || r.CreatedAt >= from) && (until == null || r.CreatedAt <= until)
                        && (orchestrator == null || r.OrchestratorId == orchestrator)));
    }
}
