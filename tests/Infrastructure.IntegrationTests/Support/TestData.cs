using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.IntegrationTests.Support;

public static class TestData
{
    public static readonly Guid TestConnector = Guid.Parse("eced6368-2c1f-4186-acf0-3fa6e079e9a8");

    public static readonly DateTimeOffset Start = new(2023, 1, 31, 12, 0, 0, TimeSpan.Zero);

    public static string NewNamespace() => "ns_" + Guid.NewGuid().ToString("N")[..16];

    public static Orchestrator Orchestrator(string @namespace, int steps = 1, DateTimeOffset? createdAt = null, string name = "Test Instant Orch") =>
        Domain.Orchestrators.Orchestrator.Create(
            @namespace,
            name,
            "Test Instant Orch",
            "test_instant",
            Enumerable.Range(1, steps)
                .Select(i => new OrchestratorStepDefinition(null, $"step{i}", TestConnector, i, StepParameters.FromJson("{\"iterations\":0}", "_params")))
                .ToList(),
            createdAt ?? Start);

    public static OrchRun Run(Orchestrator orchestrator, DateTimeOffset createdAt) =>
        OrchRun.Create(orchestrator, [], "user-1", createdAt);
}
