using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Health;

public sealed class SwaggerTests : ApiTestBase
{
    [Test]
    public async Task OpenApiDocument_WhenRequested_ListsEveryPathAndOperation()
    {
        using var response = await Api.Http.GetAsync("/swagger/v1/swagger.json");
        var document = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var paths = document["paths"]!.AsObject();
        var operations = paths
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .ToList();
        Assert.That(operations, Is.EquivalentTo(new[]
        {
            "GET /datasourcesvc/api/v1/orchrun",
            "POST /datasourcesvc/api/v1/orchrun",
            "GET /datasourcesvc/api/v1/orchrun/{id}",
            "PUT /datasourcesvc/api/v1/orchrun/{id}",
            "DELETE /datasourcesvc/api/v1/orchrun/{id}",
            "GET /datasourcesvc/api/v1/orchrun/logs/{id}",
            "POST /datasourcesvc/api/v1/orchrun/{id}/rerun",
            "GET /datasourcesvc/api/v1/orchestrator",
            "POST /datasourcesvc/api/v1/orchestrator",
            "GET /datasourcesvc/api/v1/orchestrator/{id}",
            "PUT /datasourcesvc/api/v1/orchestrator/{id}",
            "DELETE /datasourcesvc/api/v1/orchestrator/{id}",
            "GET /datasourcesvc/api/v1/connector",
            "GET /datasourcesvc/api/v1/secret",
            "GET /datasourcesvc/api/v1/secret/{name}",
            "PUT /datasourcesvc/api/v1/secret/{name}",
            "DELETE /datasourcesvc/api/v1/secret/{name}",
            "GET /datasourcesvc/api/v1/schedule",
            "POST /datasourcesvc/api/v1/schedule",
            "GET /datasourcesvc/api/v1/schedule/{id}",
            "PUT /datasourcesvc/api/v1/schedule/{id}",
            "DELETE /datasourcesvc/api/v1/schedule/{id}",
            "GET /datasourcesvc/api/v1/schedule/{id}/history",
        }));
    }

    [Test]
    public async Task OpenApiDocument_WhenRequested_DocumentsTheQueueLimitAnswerOfCreate()
    {
        using var response = await Api.Http.GetAsync("/swagger/v1/swagger.json");
        var document = await OrchRunApiClient.ReadObjectAsync(response, HttpStatusCode.OK);

        var create = document["paths"]!["/datasourcesvc/api/v1/orchrun"]!["post"]!["responses"]!.AsObject();
        Assert.That(create.Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "413", "415", "429" }));
    }

    [Test]
    public async Task SwaggerUi_WhenRequested_ServesTheUiPage()
    {
        using var response = await Api.Http.GetAsync("/swagger");
        var html = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("swagger-ui"));
        }
    }
}
