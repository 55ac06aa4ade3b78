namespace OrchRunService.Api.FunctionalTests.Support;

/// <summary>One operation of the API; <c>{id}</c> in the path stands for a resource id.</summary>
public sealed record Endpoint(string Name, HttpMethod Method, string PathTemplate, bool HasBody)
{
    public bool HasId => PathTemplate.Contains("{id}", StringComparison.Ordinal);

    public string Path(string id) => PathTemplate.Replace("{id}", id, StringComparison.Ordinal);

    public override string ToString() => Name;
}

public static class Endpoints
{
    public const string SchedulesPath = OrchRunApiClient.BasePath + "/schedule";

    public static IReadOnlyList<Endpoint> All { get; } =
    [
        new("ListRuns", HttpMethod.Get, OrchRunApiClient.RunsPath, HasBody: false),
        new("GetRun", HttpMethod.Get, OrchRunApiClient.RunsPath + "/{id}", HasBody: false),
        new("GetRunLogs", HttpMethod.Get, OrchRunApiClient.RunsPath + "/logs/{id}", HasBody: false),
        new("CreateRun", HttpMethod.Post, OrchRunApiClient.RunsPath, HasBody: true),
        new("CancelRun", HttpMethod.Put, OrchRunApiClient.RunsPath + "/{id}", HasBody: true),
        new("DeleteRun", HttpMethod.Delete, OrchRunApiClient.RunsPath + "/{id}", HasBody: false),
        new("RerunRun", HttpMethod.Post, OrchRunApiClient.RunsPath + "/{id}/rerun", HasBody: false),
        new("ListOrchestrators", HttpMethod.Get, OrchRunApiClient.OrchestratorsPath, HasBody: false),
        new("GetOrchestrator", HttpMethod.Get, OrchRunApiClient.OrchestratorsPath + "/{id}", HasBody: false),
        new("CreateOrchestrator", HttpMethod.Post, OrchRunApiClient.OrchestratorsPath, HasBody: true),
        new("UpdateOrchestrator", HttpMethod.Put, OrchRunApiClient.OrchestratorsPath + "/{id}", HasBody: true),
        new("DeleteOrchestrator", HttpMethod.Delete, OrchRunApiClient.OrchestratorsPath + "/{id}", HasBody: false),
        new("ListConnectors", HttpMethod.Get, "/datasourcesvc/api/v1/connector", HasBody: false),
        new("ListSchedules", HttpMethod.Get, SchedulesPath, HasBody: false),
        new("GetSchedule", HttpMethod.Get, SchedulesPath + "/{id}", HasBody: false),
        new("GetScheduleHistory", HttpMethod.Get, SchedulesPath + "/{id}/history", HasBody: false),
        new("CreateSchedule", HttpMethod.Post, SchedulesPath, HasBody: true),
        new("UpdateSchedule", HttpMethod.Put, SchedulesPath + "/{id}", HasBody: true),
        new("DeleteSchedule", HttpMethod.Delete, SchedulesPath + "/{id}", HasBody: false),
    ];

    public static IEnumerable<TestCaseData> Cases() => All.Select(e => new TestCaseData(e).SetArgDisplayNames(e.Name));
}
