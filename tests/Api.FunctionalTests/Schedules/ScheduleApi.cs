using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Schedules;

/// <summary>Requests and bodies of /schedule.</summary>
internal static class ScheduleApi
{
    public const string Path = OrchRunApiClient.BasePath + "/schedule";

    public static JsonObject Body(string orchestratorId, string cron = "0 * * * *", string? timeZone = null) => new()
    {
        ["orchestratorId"] = orchestratorId,
        ["_cron"] = cron,
        ["_timezone"] = timeZone,
        ["_actualparams"] = new JsonArray(),
    };

    public static Task<HttpResponseMessage> PostAsync(OrchRunApiClient api, JsonNode body) =>
        api.Http.PostAsync(api.Url(Path), OrchRunApiClient.Json(body));

    public static Task<HttpResponseMessage> PutAsync(OrchRunApiClient api, string id, JsonNode body) =>
        api.Http.PutAsync(api.Url($"{Path}/{id}"), OrchRunApiClient.Json(body));

    public static Task<HttpResponseMessage> GetAsync(OrchRunApiClient api, string id) => api.Http.GetAsync(api.Url($"{Path}/{id}"));

    public static Task<HttpResponseMessage> ListAsync(OrchRunApiClient api, string? query = null) => api.Http.GetAsync(api.Url(Path, query));

    public static Task<HttpResponseMessage> HistoryAsync(OrchRunApiClient api, string id) => api.Http.GetAsync(api.Url($"{Path}/{id}/history"));

    public static Task<HttpResponseMessage> DeleteAsync(OrchRunApiClient api, string id) => api.Http.DeleteAsync(api.Url($"{Path}/{id}"));

    public static async Task<JsonObject> CreateAsync(OrchRunApiClient api, JsonNode body)
    {
        using var response = await PostAsync(api, body);
        return await OrchRunApiClient.ReadObjectAsync(response, System.Net.HttpStatusCode.OK);
    }
}
