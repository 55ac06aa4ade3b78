using System.Text.Json;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Whether a step's parameters could ever run: their secret references are well-formed
/// (<see cref="SecretReferences"/>), and the step's connector has no objection (see
/// <see cref="IConnector.ParameterProblem"/>).
/// </summary>
public static class ConnectorParameterRules
{
    /// <summary>
    /// A malformed secret reference in <paramref name="parametersJson"/> or the connector's
    /// objection to it, or null (also for unparsable JSON or a lone surrogate half, which other
    /// rules report: a connector reading such a name or string would throw; the connector is not
    /// asked when the component is unknown).
    /// </summary>
    public static string? Problem(IConnectorCatalog connectors, Guid? componentId, string? parametersJson)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        if (string.IsNullOrWhiteSpace(parametersJson) || JsonText.HasUnpairedSurrogate(parametersJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(parametersJson);
            if (SecretReferences.Problem(document.RootElement) is { } problem)
            {
                return problem;
            }

            return componentId is { } id && connectors.Find(id) is { } connector
                ? connector.ParameterProblem(document.RootElement)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
