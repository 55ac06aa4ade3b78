using System.Text.Json;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using Riok.Mapperly.Abstractions;

namespace OrchRunService.Application.Orchestrators;

[Mapper]
public static partial class OrchestratorMapper
{
    [MapProperty(nameof(Orchestrator.Namespace), nameof(OrchestratorDto.Namespaces), Use = nameof(ToNamespaces))]
    public static partial OrchestratorDto ToDto(this Orchestrator orchestrator);

    [MapperIgnoreSource(nameof(OrchestratorStep.OrchestratorId))]
    [MapProperty("Policy.TimeoutSeconds", nameof(OrchestratorStepDto.TimeoutSeconds))]
    [MapProperty("Policy.Retries", nameof(OrchestratorStepDto.Retries))]
    [MapProperty("Policy.RetryDelayMs", nameof(OrchestratorStepDto.RetryDelayMs))]
    public static partial OrchestratorStepDto ToDto(this OrchestratorStep step);

    private static IReadOnlyList<string> ToNamespaces(string @namespace) => [@namespace];

    private static string ToWire(DateTimeOffset time) => WireFormat.ToEpochMilliseconds(time);

    private static string? ToWire(DateTimeOffset? time) => WireFormat.ToEpochMilliseconds(time);

    private static JsonElement ToWire(StepParameters parameters) => WireFormat.ToJsonElement(parameters);
}
