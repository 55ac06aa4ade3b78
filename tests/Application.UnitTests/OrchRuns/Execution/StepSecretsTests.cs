using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>
/// <c>{"$secret": "name"}</c> in a step's parameters as the worker runs it (<see cref="StepRunner"/>
/// with <see cref="StepSecretResolver"/>): the connector gets the value, nothing stored or logged does.
/// </summary>
public sealed class StepSecretsTests
{
    private const string Value = "s3cr3t-VALUE-0042";
    private const string Params = """{"headers":{"Authorization":{"$secret":"api-token"}},"body":[{"$secret":"api-token"}]}""";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private FakeTimeProvider _clock = null!;
    private InMemoryRunExecutionStore _store = null!;
    private InMemorySecrets _secrets = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _store = new InMemoryRunExecutionStore();
        _secrets = new InMemorySecrets();
    }

    [Test]
    public async Task ExecuteAsync_WhenParamsReferToASecret_TheConnectorGetsTheValueAndTheRunKeepsTheReference()
    {
        _secrets.Put(TestRuns.Namespace, "api-token", Value);
        string? seen = null;
        var connector = new ScriptedConnector("call", (context, _) =>
        {
            seen = context.Parameters.GetRawText();
            return Task.CompletedTask;
        });
        var run = QueuedRun(connector, Params);

        var outcome = await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Completed));
            Assert.That(seen, Is.EqualTo($$"""{"headers":{"Authorization":"{{Value}}"},"body":["{{Value}}"]}"""));
            Assert.That(_store.Find(run.Id)!.Steps[0].RunParams.Json, Is.EqualTo(Params), "the stored parameters keep the reference");
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheReferenceKeyWasSentEscaped_StillResolvesIt()
    {
        _secrets.Put(TestRuns.Namespace, "api-token", Value);
        string? seen = null;
        var connector = new ScriptedConnector("call", (context, _) =>
        {
            seen = context.Parameters.GetProperty("h").GetString();
            return Task.CompletedTask;
        });
        QueuedRun(connector, """{"h":{"\u0024secret":"api-token"}}""");

        await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        Assert.That(seen, Is.EqualTo(Value));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheSecretDoesNotExist_FailsTheStepSayingWhichAndWhereWithoutRunningIt()
    {
        var connector = ScriptedConnector.Logging("call", "ran");
        var run = QueuedRun(connector, Params);

        var outcome = await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(connector.Executions, Is.Zero);
            Assert.That(stored.Steps[0].Status, Is.EqualTo(OrchRunStepStatus.Failed));
            Assert.That(stored.Steps[0].StatusMessage, Does.StartWith($"secret 'api-token' does not exist in namespace '{TestRuns.Namespace}'"));
            Assert.That(_store.LinesOf(run.Id).Select(l => l.Message), Has.Some.Contains("secret 'api-token' does not exist"));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenOnlyAnotherNamespaceHasTheSecret_FailsAsMissing()
    {
        _secrets.Put("another_ns", "api-token", Value);
        var connector = ScriptedConnector.Logging("call", "ran");
        var run = QueuedRun(connector, Params);

        await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        Assert.That(connector.Executions, Is.Zero);
        Assert.That(_store.Find(run.Id)!.Steps[0].StatusMessage, Does.Contain("does not exist"));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheValueCannotBeDecrypted_FailsTheStepSayingToPutItAgain()
    {
        var connector = ScriptedConnector.Logging("call", "ran");
        _secrets.Add(Domain.Secrets.Secret.Create(TestRuns.Namespace, "api-token", "not protected by this key ring", _clock.GetUtcNow()));
        var run = QueuedRun(connector, Params);

        await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        Assert.That(connector.Executions, Is.Zero);
        Assert.That(_store.Find(run.Id)!.Steps[0].StatusMessage, Does.Contain("could not be decrypted; put its value again"));
    }

    [Test]
    public async Task ExecuteAsync_WhenTheConnectorLogsAndFailsWithTheValue_LogStatusAndResultShowItMasked()
    {
        _secrets.Put(TestRuns.Namespace, "api-token", Value);
        var connector = new ScriptedConnector("leaky", (context, _) =>
        {
            context.Log.Info($"calling with {Value}, url-encoded {Uri.EscapeDataString(Value + "/")}");
            context.Log.Warn($"json \"{Value}\"");
            throw new ConnectorFailedException($"the server refused token {Value}.");
        });
        var run = QueuedRun(connector, Params, StepExecutionPolicy.Create(null, 1, 0, "Steps[0]"));

        var outcome = await Worker(connector).ClaimAndExecuteAsync().WaitAsync(Hang);

        var stored = _store.Find(run.Id)!;
        var lines = _store.LinesOf(run.Id).Select(l => l.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome, Is.EqualTo(RunOutcome.Failed));
            Assert.That(connector.Executions, Is.EqualTo(2), "one retry: its warning line carries the reason too");
            Assert.That(lines, Has.All.Not.Contain(Value));
            Assert.That(lines, Has.Some.EqualTo("calling with ***, url-encoded ***%2F"));
            Assert.That(lines, Has.Some.Contains("retry 1 of 1"));
            Assert.That(stored.Steps[0].StatusMessage, Is.EqualTo("the server refused token ***."));
            Assert.That(stored.Result, Does.Not.Contain(Value).And.Contain("***"));
        }
    }

    [Test]
    public async Task ExecuteAsync_WhenTheConnectorThrowsWithTheValueInItsText_TheServiceLogShowsItMasked()
    {
        _secrets.Put(TestRuns.Namespace, "api-token", Value);
        var connector = new ScriptedConnector("broken", (_, _) => throw new InvalidOperationException($"bad header {Value}"));
        var run = QueuedRun(connector, Params);
        var worker = Worker(connector);

        await worker.ClaimAndExecuteAsync().WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(worker.StepLog.Lines, Has.Count.EqualTo(1));
            Assert.That(worker.StepLog.Lines, Has.All.Not.Contain(Value).And.All.Contains("bad header ***"));
            Assert.That(_store.Find(run.Id)!.Steps[0].StatusMessage, Does.StartWith("Connector broken stopped with an internal error"));
        }
    }

    private OrchRun QueuedRun(IConnector connector, string paramsJson, StepExecutionPolicy? policy = null)
    {
        var now = _clock.GetUtcNow();
        var orchestrator = Orchestrator.Create(
            TestRuns.Namespace,
            TestRuns.OrchestratorName,
            null,
            null,
            [new OrchestratorStepDefinition(null, connector.Name, connector.ComponentId, 1, StepParameters.FromJson(paramsJson, "params"), policy)],
            now);
        var run = OrchRun.Create(orchestrator, [], "user-1", now);
        _store.Put(run);
        return run;
    }

    private TestWorker Worker(params IConnector[] connectors) =>
        new(_store, _clock, new RunExecutionSettings(3, TimeSpan.FromMilliseconds(500)), _secrets, connectors);
}
