using System.Security.Cryptography;
using System.Text;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.Idempotency;

/// <summary>An <c>Idempotency-Key</c> with the fingerprint of the request it came with.</summary>
public sealed record IdempotentRequest(string Key, string Fingerprint)
{
    /// <summary>What makes two creates "the same request": the orchestrator and the normalised parameters.</summary>
    public static IdempotentRequest ForCreate(string key, Guid orchestratorId, IReadOnlyList<ActualStepParameters> actualParams)
    {
        ArgumentNullException.ThrowIfNull(actualParams);
        var text = new StringBuilder(orchestratorId.ToString("D"));
        foreach (var entry in actualParams)
        {
            text.Append('\n').Append(entry.SequenceTypeId.Trim().ToLowerInvariant()).Append('\n').Append(entry.Params.Json);
        }

        return new IdempotentRequest(key, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }
}
