using System.Text.Json;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>A connector that refuses parameters with <c>"forbidden": true</c>, as http_request refuses a Host header.</summary>
internal sealed class ObjectingConnector : IConnector
{
    public static readonly ObjectingConnector Instance = new();

    public Guid ComponentId { get; } = Guid.Parse("0b9e2f55-6a1d-4c3e-9f70-2d8a1b4c5e6f");

    public string Name => "objecting";

    public Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public string? ParameterProblem(JsonElement parameters) =>
        parameters.TryGetProperty("forbidden", out var value) && value.ValueKind == JsonValueKind.True ? "'forbidden' cannot be set." : null;
}
