using Microsoft.Data.Sqlite;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// The run reads on SQLite, in plain SQL on pooled read-only connections with prepared
/// statements: no statement is parsed, no connection opened and no entity materialised per
/// request (each was a visible share of a read's CPU in the profile). Answers as
/// <see cref="OrchRunReadModel"/> does, which stays the read model on SQL Server.
/// </summary>
internal sealed class SqliteOrchRunReadModel : IOrchRunReadModel
{
    private readonly SqliteReadConnectionPool _connections;

    public SqliteOrchRunReadModel(SqliteReadConnectionPool connections)
    {
        _connections = connections;
    }

    public async Task<OrchRunDto?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        await _connections.ReadAsync((Id: id, Namespace: @namespace), static (connection, key) => Find(connection, key.Id, key.Namespace), cancellationToken);

    public async Task<PagedResult<OrchRunDto>> ListAsync(OrchRunListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await _connections.ReadAsync(filter, static (connection, f) => List(connection, f), cancellationToken);
    }

    private static OrchRunDto? Find(SqliteReadConnection connection, Guid id, string @namespace)
    {
        var command = connection.Prepared(SqliteOrchRunSql.Find);
        command.Bind(SqliteOrchRunSql.Id, StoredGuid(id));
        command.Bind(SqliteOrchRunSql.Namespace, @namespace);
        using var reader = command.ExecuteReader();
        var runs = OrchRunRowReader.ReadRuns(reader);
        return runs.Count == 0 ? null : runs[0];
    }

    private static PagedResult<OrchRunDto> List(SqliteReadConnection connection, OrchRunListFilter filter)
    {
        // Distinct and ordered: the same set of statuses binds the same parameters whatever order it came in.
        var statuses = filter.Statuses.Distinct().Order().Select(s => (int)s).ToArray();
        var createdFrom = filter.CreatedFrom is { } from ? StoredTime(from) : (DateTime?)null;
        var createdUntil = filter.CreatedUntilLastTick is { } until ? StoredTime(until) : (DateTime?)null;
        var orchestrator = filter.OrchestratorId is { } orchestratorId ? StoredGuid(orchestratorId) : null;

        // Without date bounds or an orchestrator the total is a lookup in the counts the triggers keep, not a count of every matching run.
        var countSql = createdFrom is null && createdUntil is null && orchestrator is null
            ? SqliteOrchRunSql.KeptCountOf(statuses.Length)
            : SqliteOrchRunSql.CountOf(statuses.Length, createdFrom is not null, createdUntil is not null, orchestrator is not null);
        var count = connection.Prepared(countSql);
        BindFilter(count, filter.Namespace, statuses, createdFrom, createdUntil, orchestrator);
        var total = (int)(long)count.ExecuteScalar()!;

        // As PagingExtensions.PageAsync: a window starting past the end is not queried.
        if (total <= filter.Offset)
        {
            return new PagedResult<OrchRunDto>([], total);
        }

        var page = connection.Prepared(SqliteOrchRunSql.PageOf(statuses.Length, createdFrom is not null, createdUntil is not null, orchestrator is not null));
        BindFilter(page, filter.Namespace, statuses, createdFrom, createdUntil, orchestrator);
        page.Bind(SqliteOrchRunSql.Take, filter.PageSize);
        page.Bind(SqliteOrchRunSql.Skip, filter.Offset);
        using var reader = page.ExecuteReader();
        return new PagedResult<OrchRunDto>(OrchRunRowReader.ReadRuns(reader), total);
    }

    private static void BindFilter(SqliteCommand command, string @namespace, int[] statuses, DateTime? createdFrom, DateTime? createdUntil, string? orchestrator)
    {
        if (orchestrator is not null)
        {
            command.Bind(SqliteOrchRunSql.OrchestratorId, orchestrator);
        }

        command.Bind(SqliteOrchRunSql.Namespace, @namespace);
        for (var i = 0; i < statuses.Length; i++)
        {
            command.Bind(SqliteOrchRunSql.Status(i), statuses[i]);
        }

        if (createdFrom is { } from)
        {
            command.Bind(SqliteOrchRunSql.CreatedFrom, from);
        }

        if (createdUntil is { } until)
        {
            command.Bind(SqliteOrchRunSql.CreatedUntil, until);
        }
    }

    // As EF stores them on SQLite: GUIDs as upper-case text (Microsoft.Data.Sqlite alone would bind a blob),
    // times as UTC date-times, which Microsoft.Data.Sqlite binds as the same text EF writes.
    private static string StoredGuid(Guid id) => id.ToString("D").ToUpperInvariant();

    private static DateTime StoredTime(DateTimeOffset time) => time.UtcDateTime;
}
