using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests;

/// <summary>Builders for the aggregates in the states the tests start from.</summary>
internal static class TestData
{
    public const string Namespace = "team_a";
    public const string User = "77eee821-b0d4-44c4-b179-7b50ec9575c5";
    public const string Node = "node-1";

    /// <summary>The test_connector component.</summary>
    public static readonly Guid TestConnectorId = Guid.Parse("eced6368-2c1f-4186-acf0-3fa6e079e9a8");

    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static StepParameters Params(string json) => StepParameters.FromJson(json, "params");

    public static OrchestratorStepDefinition StepDefinition(int sequenceNo, string paramsJson = "{}", Guid? id = null) =>
        new(id, $"test_connector_{sequenceNo}", TestConnectorId, sequenceNo, Params(paramsJson));

    /// <summary>An orchestrator with <paramref name="stepCount"/> test_connector steps numbered from 1.</summary>
    public static Orchestrator NewOrchestrator(int stepCount = 2, string paramsJson = "{}") =>
        Orchestrator.Create(
            Namespace,
            "Test Instant Orch",
            "Test Instant Orch description",
            "test_instant",
            Enumerable.Range(1, stepCount).Select(i => StepDefinition(i, paramsJson)).ToList(),
            Now);

    public static OrchRun NewQueuedRun(int stepCount = 2) =>
        OrchRun.Create(NewOrchestrator(stepCount), [], User, Now);

    public static OrchRun NewRunningRun(int stepCount = 2, string node = Node)
    {
        var run = NewQueuedRun(stepCount);
        run.Claim(node, Now.AddMinutes(1), Now.AddSeconds(1));
        return run;
    }

    /// <summary>A run driven through the real transitions into <paramref name="status"/>.</summary>
    public static OrchRun NewRunIn(OrchRunStatus status, int stepCount = 2)
    {
        switch (status)
        {
            case OrchRunStatus.Queued:
                return NewQueuedRun(stepCount);
            case OrchRunStatus.Running:
                return NewRunningRun(stepCount);
            case OrchRunStatus.RequestCancel:
            {
                var run = NewRunningRun(stepCount);
                run.RequestCancel(Now.AddSeconds(2));
                return run;
            }

            case OrchRunStatus.Completed:
            {
                var run = NewRunningRun(stepCount);
                foreach (var step in run.Steps)
                {
                    run.StartStep(step.Id, Now.AddSeconds(2));
                    run.CompleteStep(step.Id, Now.AddSeconds(3));
                }

                run.Complete(Now.AddSeconds(4));
                return run;
            }

            case OrchRunStatus.Failed:
            {
                var run = NewRunningRun(stepCount);
                var first = run.Steps[0];
                run.StartStep(first.Id, Now.AddSeconds(2));
                run.FailStep(first.Id, "boom", Now.AddSeconds(3));
                return run;
            }

            case OrchRunStatus.Cancelled:
            {
                var run = NewRunIn(OrchRunStatus.RequestCancel, stepCount);
                run.ConfirmCancelled(Now.AddSeconds(3));
                return run;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }
    }
}
