namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// One parameter a connector reads from its step's params: the connector declares it and reads
/// it through the declaration, so the list the service publishes (GET /connector) is what runs.
/// </summary>
/// <param name="Name">The key in the step's params.</param>
/// <param name="Type">integer, string, object, array or any (JSON).</param>
/// <param name="Default">The value when absent (JSON text), or null when there is none.</param>
/// <param name="Minimum">The least value of an integer.</param>
/// <param name="Maximum">The greatest value of an integer.</param>
/// <param name="Required">Whether a step fails without it.</param>
/// <param name="Description">What it does, for people.</param>
public sealed record ConnectorParameter(
    string Name,
    string Type,
    string? Default,
    long? Minimum,
    long? Maximum,
    bool Required,
    string Description)
{
    public static ConnectorParameter Integer(string name, int defaultValue, int minimum, int maximum, string description) =>
        new(name, "integer", defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture), minimum, maximum, Required: false, description);
}
