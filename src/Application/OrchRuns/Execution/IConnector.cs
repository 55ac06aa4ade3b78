namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Executes one kind of step, chosen by the step's component id (<c>_compid</c>). Implementations
/// live in Infrastructure and are registered in DI; see docs/architecture.md, "Adding a connector".
/// </summary>
public interface IConnector
{
    Guid ComponentId { get; }

    /// <summary>A short name for logs and docs (test_connector, http_request).</summary>
    string Name { get; }

    /// <summary>The parameters it reads (published by GET /connector); none unless it declares them.</summary>
    IReadOnlyList<ConnectorParameter> Parameters => [];

    /// <summary>
    /// Runs the step. Throw to fail it (the message becomes the step's <c>_statusmsg</c>); honour
    /// <paramref name="cancellationToken"/>, which fires on cancel, delete and lost leases.
    /// </summary>
    Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Why a step with these parameters could never run, or null: checked when an orchestrator is
    /// saved and a run created, so the caller gets a 400 instead of a failed step. No I/O.
    /// </summary>
    string? ParameterProblem(System.Text.Json.JsonElement parameters) => null;
}
