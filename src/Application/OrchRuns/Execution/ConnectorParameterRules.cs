using System.Text.Json;
using OrchRunService.Domain.Common;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Asks a step's connector whether its parameters could ever run (see <see cref="IConnector.ParameterProblem"/>).</summary>
public static class ConnectorParameterRules
{
    /// <summary>
    /// The connector's objection to <paramref name="parametersJson"/>, or null (also for an unknown
    /// component, unparsable JSON or a lone surrogate half, which other rules report: a connector
    /// reading such a name or string would throw).
    /// </summary>
    public static string? Problem(IConnectorCatalog connectors, Guid? componentId, string? parametersJson)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        if (componentId is not { } id || connectors.Find(id) is not { } connector
            || string.IsNullOrWhiteSpace(parametersJson) || JsonText.HasUnpairedSurrogate(parametersJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(parametersJson);
            return connector.ParameterProblem(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
