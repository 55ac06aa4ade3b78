namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A step's parameters with its secret references replaced by their values (only ever in memory,
/// for the connector), and the redactor that masks those values; or why they could not be resolved.
/// </summary>
public sealed record ResolvedStepParameters(string? Json, SecretRedactor Redactor, string? Failure)
{
    public static ResolvedStepParameters Resolved(string json, SecretRedactor redactor) => new(json, redactor, null);

    public static ResolvedStepParameters Failed(string failure) => new(null, SecretRedactor.None, failure);
}
