using System.Text.RegularExpressions;

namespace OrchRunService.Api.Errors;

/// <summary>
/// Spells a domain error's field as the request does: <c>ActualParams[0].StepId</c> is
/// <c>_actualparams[0].sequence_type_id</c>. A field without a wire spelling is passed on as it is.
/// </summary>
internal static partial class WireFieldNames
{
    // Keyed by the domain path with its indexes taken out; the indexes go back in order.
    private static readonly Dictionary<string, string> ByDomainPath = new(StringComparer.Ordinal)
    {
        ["Name"] = "_name",
        ["Steps"] = "steps",
        ["Steps[].Params"] = "steps[]._params",
        ["Steps[].TimeoutSeconds"] = "steps[]._timeoutSeconds",
        ["Steps[].Retries"] = "steps[]._retries",
        ["Steps[].RetryDelayMs"] = "steps[]._retryDelayMs",
        ["ActualParams"] = "_actualparams",
        ["ActualParams[].StepId"] = "_actualparams[].sequence_type_id",
        ["ActualParams[].Params"] = "_actualparams[].params",
        ["Cron"] = "_cron",
        ["TimeZone"] = "_timezone",
        ["EndAt"] = "_endat",
        ["Overlap"] = "_overlap",
        ["OrchestratorId"] = "orchestratorId",
    };

    public static string Of(string domainField)
    {
        ArgumentNullException.ThrowIfNull(domainField);
        var indexes = Index().Matches(domainField).Select(m => m.Value).ToList();
        if (!ByDomainPath.TryGetValue(Index().Replace(domainField, "[]"), out var wire))
        {
            return domainField;
        }

        var next = 0;
        return Index().Replace(wire, _ => next < indexes.Count ? indexes[next++] : "[]");
    }

    [GeneratedRegex(@"\[\d*\]")]
    private static partial Regex Index();
}
