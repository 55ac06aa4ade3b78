using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;
using Riok.Mapperly.Abstractions;

namespace OrchRunService.Application.OrchRuns;

[Mapper]
public static partial class OrchRunMapper
{
    [MapProperty(nameof(OrchRun.Namespace), nameof(OrchRunDto.Namespaces), Use = nameof(ToNamespaces))]
    [MapperIgnoreSource(nameof(OrchRun.NodeId))]
    [MapperIgnoreSource(nameof(OrchRun.Attempt))]
    [MapperIgnoreSource(nameof(OrchRun.LeaseExpiresAt))]
    public static partial OrchRunDto ToDto(this OrchRun run);

    [MapperIgnoreSource(nameof(OrchRunStep.IsFinished))]
    [MapperIgnoreSource(nameof(OrchRunStep.Policy))]
    public static partial OrchRunStepDto ToDto(this OrchRunStep step);

    private static IReadOnlyList<string> ToNamespaces(string @namespace) => [@namespace];

    private static string ToWire(DateTimeOffset time) => WireFormat.ToEpochMilliseconds(time);

    private static string? ToWire(DateTimeOffset? time) => WireFormat.ToEpochMilliseconds(time);

    private static string ToWire(StepParameters parameters) => parameters.Json;
}
