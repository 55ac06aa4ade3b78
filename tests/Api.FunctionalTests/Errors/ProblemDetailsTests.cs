using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Errors;

/// <summary>Answers the framework gives by itself are problem+json with our type URNs too.</summary>
public sealed class ProblemDetailsTests : ApiTestBase
{
    [TestCase("/datasourcesvc/api/v1/nothing")]
    [TestCase("/datasourcesvc/api/v1/orchrun/logs/x/y")]
    [TestCase("/nothing")]
    public async Task Get_WhenPathIsUnknown_Returns404Problem(string path)
    {
        using var response = await Api.Http.GetAsync(Api.Url(path));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [TestCase("PATCH", "/orchrun/{id}")]
    [TestCase("POST", "/orchrun/{id}")]
    [TestCase("DELETE", "/orchrun")]
    [TestCase("PUT", "/orchrun")]
    [TestCase("POST", "/orchrun/logs/{id}")]
    [TestCase("PATCH", "/orchestrator/{id}")]
    [TestCase("DELETE", "/orchestrator")]
    public async Task Request_WhenMethodIsNotSupported_Returns405Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Url(OrchRunApiClient.BasePath + path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)))
        {
            Content = OrchRunApiClient.Json("{}"),
        };

        using var response = await Api.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Test]
    public async Task Problem_WhenReturned_NamesTheRequestPathAsInstance()
    {
        var path = $"{OrchRunApiClient.RunsPath}/{Guid.NewGuid()}";

        using var response = await Api.Http.GetAsync(Api.Url(path));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.That(problem["instance"]?.GetValue<string>(), Is.EqualTo(path));
    }

    [Test]
    public async Task Problem_WhenValidationFails_ListsEveryInvalidField()
    {
        using var response = await Api.ListRunsAsync("_pageSize=0&_offset=-1&_status=NOPE&startDate=x");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "_pageSize", "_offset", "_status", "startDate" }));
    }
}
