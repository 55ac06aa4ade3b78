using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Puts the values of a step's secret references (<see cref="SecretReferences"/>) in place, from
/// the run's namespace, right before its connector runs. The stored parameters keep the
/// references; the values exist only in the returned text and the redactor.
/// </summary>
public sealed class StepSecretResolver
{
    private readonly ISecretRepository _secrets;
    private readonly ISecretProtector _protector;
    private readonly ILogger<StepSecretResolver> _logger;

    public StepSecretResolver(ISecretRepository secrets, ISecretProtector protector, ILogger<StepSecretResolver> logger)
    {
        _secrets = secrets;
        _protector = protector;
        _logger = logger;
    }

    public async Task<ResolvedStepParameters> ResolveAsync(OrchRun run, OrchRunStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        var json = step.RunParams.Json;

        // Stored parameters are compact JSON written by one serializer, which spells the key
        // "$secret" as is: without that text there is no reference, and nothing to parse.
        if (!json.Contains(SecretReferences.Key, StringComparison.Ordinal))
        {
            return ResolvedStepParameters.Resolved(json, SecretRedactor.None);
        }

        IReadOnlySet<string> names;
        using (var document = JsonDocument.Parse(json))
        {
            names = SecretReferences.Names(document.RootElement);
        }

        if (names.Count == 0)
        {
            return ResolvedStepParameters.Resolved(json, SecretRedactor.None);
        }

        var found = (await _secrets.ReadAsync(run.Namespace, names, cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (!found.TryGetValue(name, out var secret))
            {
                return ResolvedStepParameters.Failed(RunLogMessages.SecretMissing(name, run.Namespace));
            }

            try
            {
                values[name] = _protector.Unprotect(secret.ProtectedValue);
            }
            catch (CryptographicException ex)
            {
                // The key ring lost the key, or the row was altered: the operator needs the detail, the user what to do.
                _logger.LogError(ex, "Secret {Secret} of namespace {Namespace} could not be decrypted for run {RunId}", name, run.Namespace, run.Id);
                return ResolvedStepParameters.Failed(RunLogMessages.SecretUnreadable(name, run.Namespace));
            }
        }

        return ResolvedStepParameters.Resolved(SecretReferences.Resolve(json, values), new SecretRedactor(values.Values));
    }
}
