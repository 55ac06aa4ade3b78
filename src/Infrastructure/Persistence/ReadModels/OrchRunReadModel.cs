using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// Runs as the queries answer them: untracked (no change-tracker snapshots or identity fix-up),
/// each run with its steps in the same statement.
/// </summary>
internal sealed class OrchRunReadModel : IOrchRunReadModel
{
    // Compiled once: a request skips EF's expression-tree hashing and query-cache lookup.
    private static readonly Func<OrchRunDbContext, Guid, string, CancellationToken, Task<OrchRun?>> FindInNamespace =
        EF.CompileAsyncQuery((OrchRunDbContext db, Guid id, string @namespace, CancellationToken _) =>
            db.OrchRuns.AsNoTracking().Include(r => r.Steps).SingleOrDefault(r => r.Id == id && r.Namespace == @namespace));

    private readonly OrchRunDbContext _db;

    public OrchRunReadModel(OrchRunDbContext db)
    {
        _db = db;
    }

    public async Task<OrchRunDto?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        await FindInNamespace(_db, id, @namespace, cancellationToken) is { } run ? run.ToDto() : null;

    public async Task<PagedResult<OrchRunDto>> ListAsync(OrchRunListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filtered(_db.OrchRuns.AsNoTracking(), filter);

        // The count and the page share one opening of the connection (EF would open and close it
        // around each statement, and an opening costs as much as the count).
        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Without date bounds or an orchestrator the total is a lookup where the provider keeps counts (SQLite), not a count of every matching run.
            var kept = filter.CreatedFrom is null && filter.CreatedUntil is null && filter.OrchestratorId is null
                ? await _db.CountRunsAsync(filter.Namespace, filter.Statuses, cancellationToken)
                : null;
            var total = kept is { } counted ? (int)counted : await query.CountAsync(cancellationToken);
            var page = await query
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                .Include(r => r.Steps)
                .AsSingleQuery() // one round trip: the page (LIMIT in a subquery) joined with its steps
                .PageAsync(filter.Offset, filter.PageSize, total, cancellationToken);
            return new PagedResult<OrchRunDto>(page.Select(r => r.ToDto()).ToList(), total);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private static IQueryable<OrchRun> Filtered(IQueryable<OrchRun> runs, OrchRunListFilter filter)
    {
        var query = runs.Where(r => r.Namespace == filter.Namespace);
        // A parameterised list (Contains over a list parameter) makes EF generate the SQL anew on
        // every request; one status is a plain parameter, and a set of them (at most 63 sets of
        // enum values) is inlined, so each shape is generated once and cached.
        if (filter.Statuses.Count == 1)
        {
            var status = filter.Statuses.First();
            query = query.Where(r => r.Status == status);
        }
        else if (filter.Statuses.Count > 1)
        {
            var statuses = filter.Statuses.Order().ToArray();
            query = query.Where(r => EF.Constant(statuses).Contains(r.Status));
        }

        if (filter.OrchestratorId is { } orchestratorId)
        {
            query = query.Where(r => r.OrchestratorId == orchestratorId);
        }

        if (filter.CreatedFrom is { } from)
        {
            query = query.Where(r => r.CreatedAt >= from);
        }

        if (filter.CreatedUntilLastTick is { } until)
        {
            query = query.Where(r => r.CreatedAt <= until);
        }

        return query;
    }
}
