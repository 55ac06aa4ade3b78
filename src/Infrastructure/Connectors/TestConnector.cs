using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Infrastructure.Connectors;

/// <summary>
/// The platform's test connector: a dummy loop of <c>iterations</c> waits of <c>intervalMs</c>
/// (defaults 10 and 6000, as in the seed's log; 0 iterations is a no-op step).
/// </summary>
internal sealed class TestConnector : IConnector
{
    public static readonly Guid Id = Guid.Parse("eced6368-2c1f-4186-acf0-3fa6e079e9a8");

    private static readonly ConnectorParameter Iterations = ConnectorParameter.Integer("iterations", 10, 0, 100_000, "How many waits the dummy loop makes (0: a no-op step).");
    private static readonly ConnectorParameter IntervalMs = ConnectorParameter.Integer("intervalMs", 6000, 0, 3_600_000, "How long each wait lasts, in milliseconds.");

    private readonly TimeProvider _clock;

    public TestConnector(TimeProvider clock)
    {
        _clock = clock;
    }

    public Guid ComponentId => Id;

    public string Name => "test_connector";

    public IReadOnlyList<ConnectorParameter> Parameters { get; } = [Iterations, IntervalMs];

    public async Task ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var iterations = context.Parameters.GetInt(Iterations);
        var interval = TimeSpan.FromMilliseconds(context.Parameters.GetInt(IntervalMs));
        context.Log.Info($"Test Connector, orch_run_id: {context.RunId}");
        context.Log.Info($"Executing TestConnector - Connectors with version 1, orch_run_id: {context.RunId}");

        // As in the seed: a progress line after each wait but the last, then the end line.
        for (var i = 1; i <= iterations; i++)
        {
            await Task.Delay(interval, _clock, cancellationToken);
            if (i < iterations)
            {
                context.Log.Info("TestConnector_v1: Dummy loop in progress");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        context.Log.Info("TestConnector_v1: Dummy loop has ended");
    }
}
