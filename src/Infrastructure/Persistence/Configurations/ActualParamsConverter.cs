using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

/// <summary>A schedule's actual parameters as one JSON array column: <c>[{"sequence_type_id": "…", "params": {…}}]</c>.</summary>
internal sealed class ActualParamsConverter : ValueConverter<IReadOnlyList<ActualStepParameters>, string>
{
    public static readonly ValueComparer<IReadOnlyList<ActualStepParameters>> Comparer = new(
        (a, b) => a != null && b != null && a.SequenceEqual(b),
        list => list.Aggregate(0, (hash, p) => HashCode.Combine(hash, p.SequenceTypeId, p.Params.Json)),
        list => list.ToList());

    public ActualParamsConverter()
        : base(list => ToJson(list), json => FromJson(json))
    {
    }

    private static string ToJson(IReadOnlyList<ActualStepParameters> list) =>
        new JsonArray(list.Select(p => (JsonNode)new JsonObject
        {
            ["sequence_type_id"] = p.SequenceTypeId,
            ["params"] = JsonNode.Parse(p.Params.Json),
        }).ToArray()).ToJsonString();

    private static List<ActualStepParameters> FromJson(string json) =>
        (JsonNode.Parse(json) as JsonArray ?? [])
            .Select(e => new ActualStepParameters(
                e!["sequence_type_id"]!.GetValue<string>(),
                StepParameters.FromStored(e["params"]?.ToJsonString() ?? "{}")))
            .ToList();
}
