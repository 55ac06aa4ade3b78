using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

public sealed class GetOrchRunLogsQueryHandler : IQueryHandler<GetOrchRunLogsQuery, RunLog>
{
    private readonly IOrchRunRepository _runs;
    private readonly IRunLogReader _logs;

    public GetOrchRunLogsQueryHandler(IOrchRunRepository runs, IRunLogReader logs)
    {
        _runs = runs;
        _logs = logs;
    }

    public async ValueTask<RunLog> Handle(GetOrchRunLogsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var id = Guid.Parse(query.Id!);
        _ = await _runs.FindAsync(id, query.Namespace, cancellationToken)
            ?? throw new NotFoundException("Orchestrator run", id);
        return new RunLog(id, _logs.ReadAsync(id, cancellationToken));
    }
}
