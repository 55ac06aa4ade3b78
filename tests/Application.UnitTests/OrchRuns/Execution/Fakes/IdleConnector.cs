using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>A connector known by its component id that does nothing: lets validators accept steps naming it.</summary>
internal sealed class IdleConnector : IConnector
{
    /// <summary>Under the component id of the service's test_connector (<see cref="TestData.TestConnector"/>).</summary>
    public static readonly IdleConnector TestConnector = new(Guid.Parse(TestData.TestConnector), "test_connector");

    private IdleConnector(Guid componentId, string name)
    {
        ComponentId = componentId;
        Name = name;
    }

    public Guid ComponentId { get; }

    public string Name { get; }

    public Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
