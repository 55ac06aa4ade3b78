using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>Runs for the executor and recovery tests, built through the domain as the API would.</summary>
internal static class TestRuns
{
    public const string Namespace = "proj_DrZrSNrW";
    public const string OrchestratorName = "test_orch";
    public const string NodeA = "node-a";
    public const string NodeB = "node-b";

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>A QUEUED run with one step per connector, in the given order.</summary>
    public static OrchRun Queued(DateTimeOffset now, params (string Name, Guid ComponentId)[] steps)
    {
        var definitions = steps
            .Select((s, i) => new OrchestratorStepDefinition(null, s.Name, s.ComponentId, i + 1, StepParameters.Empty))
            .ToList();
        var orchestrator = Orchestrator.Create(Namespace, OrchestratorName, "A test orchestrator", "test_instant", definitions, now);
        return OrchRun.Create(orchestrator, [], "user-1", now);
    }

    /// <summary>A QUEUED run of one step per connector, each step with <paramref name="policy"/> (timeout and retries).</summary>
    public static OrchRun Queued(DateTimeOffset now, StepExecutionPolicy policy, params (string Name, Guid ComponentId)[] steps)
    {
        var definitions = steps
            .Select((s, i) => new OrchestratorStepDefinition(null, s.Name, s.ComponentId, i + 1, StepParameters.Empty, policy))
            .ToList();
        var orchestrator = Orchestrator.Create(Namespace, OrchestratorName, "A test orchestrator", "test_instant", definitions, now);
        return OrchRun.Create(orchestrator, [], "user-1", now);
    }

    /// <summary>Claims the run for <paramref name="nodeId"/> and returns the claim the worker would get.</summary>
    public static RunClaim Claim(OrchRun run, string nodeId, DateTimeOffset now)
    {
        run.Claim(nodeId, now + Lease, now);
        return new RunClaim(run.Id, nodeId, run.Attempt);
    }
}
