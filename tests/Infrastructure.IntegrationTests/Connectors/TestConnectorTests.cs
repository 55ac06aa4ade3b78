using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Connectors;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

public sealed class TestConnectorTests
{
    private const string Progress = "TestConnector_v1: Dummy loop in progress";
    private const string Ended = "TestConnector_v1: Dummy loop has ended";

    private static readonly Guid RunId = Guid.Parse("8cec89dc-9074-46be-9065-9faade7ad091");

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(5)]
    [TestCase(10)]
    public async Task ExecuteAsync_WhenGivenIterations_LogsTheHeaderThenIterationsMinusOneProgressLinesThenTheEnd(int iterations)
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        await new TestConnector(TimeProvider.System).ExecuteAsync(Context($"{{\"iterations\":{iterations},\"intervalMs\":0}}", log), CancellationToken.None);

        var expected = new[]
        {
            $"Test Connector, orch_run_id: {RunId}",
            $"Executing TestConnector - Connectors with version 1, orch_run_id: {RunId}",
        }.Concat(Enumerable.Repeat(Progress, Math.Max(0, iterations - 1))).Append(Ended);
        var lines = log.Take();
        Assert.That(lines.Select(l => l.Message), Is.EqualTo(expected));
        Assert.That(lines.Select(l => l.Level), Is.All.EqualTo(RunLogLevel.Info));
    }

    [Test]
    public async Task ExecuteAsync_WhenParametersAreStrings_AcceptsWholeNumbers()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        await new TestConnector(TimeProvider.System).ExecuteAsync(Context("{\"iterations\":\"3\",\"intervalMs\":\"0\"}", log), CancellationToken.None);

        Assert.That(log.Take().Count(l => l.Message == Progress), Is.EqualTo(2));
    }

    [Test]
    public async Task ExecuteAsync_WhenNoParametersAreGiven_WaitsTenIntervalsOfSixSecondsAsInTheSeed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 858, TimeSpan.Zero));
        var log = new RunLogBuffer(RunId, 0, clock);
        var started = clock.GetUtcNow();

        var execution = new TestConnector(clock).ExecuteAsync(Context("{}", log), CancellationToken.None);
        while (!execution.IsCompleted)
        {
            // Each pass lets one pending wait elapse (or none, if the connector has not yet asked for it).
            clock.Advance(TimeSpan.FromSeconds(6));
            await Task.WhenAny(execution, Task.Delay(5));
        }

        await execution;
        var lines = log.Take();
        var progress = lines.Where(l => l.Message == Progress).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(progress, Has.Count.EqualTo(9));
            Assert.That(lines[^1].Message, Is.EqualTo(Ended));
            Assert.That(progress[0].Timestamp - started, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(6)));
            Assert.That(lines[^1].Timestamp - started, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(60)));
        }
    }

    [TestCase("{\"iterations\":\"ten\"}", "Parameter 'iterations' must be a whole number from 0 to 100000.")]
    [TestCase("{\"iterations\":-1}", "Parameter 'iterations' must be a whole number from 0 to 100000.")]
    [TestCase("{\"iterations\":1.5}", "Parameter 'iterations' must be a whole number from 0 to 100000.")]
    [TestCase("{\"iterations\":1,\"intervalMs\":-5}", "Parameter 'intervalMs' must be a whole number from 0 to 3600000.")]
    [TestCase("{\"iterations\":1,\"intervalMs\":[1]}", "Parameter 'intervalMs' must be a whole number from 0 to 3600000.")]
    public async Task ExecuteAsync_WhenAParameterIsInvalid_FailsTheStepWithAClearMessage(string parameters, string message)
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ConnectorFailedException>(() => new TestConnector(TimeProvider.System).ExecuteAsync(Context(parameters, log), CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo(message));
    }

    [Test]
    public async Task ExecuteAsync_WhenCancelledDuringTheLoop_StopsWithoutTheEndLine()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);
        using var cancel = new CancellationTokenSource();

        var execution = new TestConnector(TimeProvider.System).ExecuteAsync(Context("{\"iterations\":100000,\"intervalMs\":3600000}", log), cancel.Token);
        await cancel.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(() => execution);
        Assert.That(log.Take().Select(l => l.Message), Has.No.Member(Ended));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheTokenIsAlreadyCancelled_DoesNotReachTheEnd()
    {
        var log = new RunLogBuffer(RunId, 0, TimeProvider.System);

        await Assert.CatchAsync<OperationCanceledException>(() =>
            new TestConnector(TimeProvider.System).ExecuteAsync(Context("{\"iterations\":0}", log), new CancellationToken(canceled: true)));
        Assert.That(log.Take().Select(l => l.Message), Has.No.Member(Ended));
    }

    private static ConnectorContext Context(string parameters, IRunLogWriter log)
    {
        using var document = JsonDocument.Parse(parameters);
        return new ConnectorContext(RunId, "test_connector", document.RootElement.Clone(), log);
    }
}
