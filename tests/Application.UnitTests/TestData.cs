using System.Text.Json;
using FluentValidation;
using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.Orchestrators;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests;

/// <summary>Builders for the domain objects and requests the handler and validator tests start from.</summary>
internal static class TestData
{
    public const string Namespace = "team_a";
    public const string UserId = "77eee821-b0d4-44c4-b179-7b50ec9575c5";
    public const string Node = "node-1";

    /// <summary>The test_connector component.</summary>
    public const string TestConnector = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

    /// <summary>The seed's <c>_createdat</c>, 2023-01-31T11:26:33.072Z.</summary>
    public const string NowEpochMs = "1675164393072";

    public static readonly Guid TestConnectorId = Guid.Parse(TestConnector);

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1675164393072);

    public static FakeTimeProvider NewClock() => new(Now);

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static StepParameters Params(string json) => StepParameters.FromJson(json, "params");

    /// <summary>An orchestrator with <paramref name="stepCount"/> test_connector steps numbered from 1.</summary>
    public static Orchestrator NewOrchestrator(int stepCount = 1, string paramsJson = "{}") =>
        Orchestrator.Create(
            Namespace,
            "Test Instant Orch",
            "Test Instant Orch description",
            "test_instant",
            Enumerable.Range(1, stepCount)
                .Select(i => new OrchestratorStepDefinition(null, $"test_connector_{i}", TestConnectorId, i, Params(paramsJson)))
                .ToList(),
            Now);

    /// <summary>A run driven through the real transitions into <paramref name="status"/>.</summary>
    public static OrchRun NewRun(OrchRunStatus status = OrchRunStatus.Queued, Orchestrator? orchestrator = null)
    {
        var run = OrchRun.Create(orchestrator ?? NewOrchestrator(), [], UserId, Now);
        if (status == OrchRunStatus.Queued)
        {
            return run;
        }

        run.Claim(Node, Now.AddMinutes(1), Now.AddSeconds(1));
        switch (status)
        {
            case OrchRunStatus.Running:
                break;
            case OrchRunStatus.RequestCancel:
                run.RequestCancel(Now.AddSeconds(2));
                break;
            case OrchRunStatus.Cancelled:
                run.RequestCancel(Now.AddSeconds(2));
                run.ConfirmCancelled(Now.AddSeconds(3));
                break;
            case OrchRunStatus.Completed:
                foreach (var step in run.Steps)
                {
                    run.StartStep(step.Id, Now.AddSeconds(2));
                    run.CompleteStep(step.Id, Now.AddSeconds(3));
                }

                run.Complete(Now.AddSeconds(4));
                break;
            case OrchRunStatus.Failed:
                run.StartStep(run.Steps[0].Id, Now.AddSeconds(2));
                run.FailStep(run.Steps[0].Id, "boom", Now.AddSeconds(3));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        return run;
    }

    public static OrchestratorStepInput StepInput(int? sequenceNo = null, Guid? id = null, string? paramsJson = null, string name = "test_connector") =>
        new(id, name, Guid.Parse(TestConnector), sequenceNo, paramsJson is null ? null : Json(paramsJson));

    /// <summary>The validator's errors per field (wire name), as the API reports them.</summary>
    public static IReadOnlyDictionary<string, string[]> ErrorsOf<T>(IValidator<T> validator, T request) =>
        validator.Validate(request).Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray(), StringComparer.Ordinal);
}
