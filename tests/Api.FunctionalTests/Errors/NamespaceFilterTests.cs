using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Errors;

/// <summary>nsfilter is mandatory and checked on every endpoint.</summary>
public sealed class NamespaceFilterTests : ApiTestBase
{
    private static readonly string[] InvalidNamespaces =
    [
        "nsfilter=",
        "nsfilter=%20",
        "nsfilter=a%20b",
        "nsfilter=ns!",
        "nsfilter=ns.x",
        "nsfilter=ns%2Fx",
        "nsfilter=%C3%A9t%C3%A9",
        "nsfilter=%F0%9F%98%80",
        "nsfilter=ns%00",
        "nsfilter=" + new string('a', 65),
    ];

    public static IEnumerable<TestCaseData> EndpointsAndInvalidNamespaces() =>
        from endpoint in Endpoints.All
        from query in InvalidNamespaces.Prepend(null)
        select new TestCaseData(endpoint, query).SetArgDisplayNames(endpoint.Name, query ?? "(no nsfilter)");

    [TestCaseSource(nameof(EndpointsAndInvalidNamespaces))]
    public async Task Request_WhenNsfilterIsMissingEmptyOrMalformed_Returns400ForNsfilter(Endpoint endpoint, string? nsfilterQuery)
    {
        var url = endpoint.Path(Guid.NewGuid().ToString()) + (nsfilterQuery is null ? string.Empty : "?" + nsfilterQuery);
        using var request = new HttpRequestMessage(endpoint.Method, url);
        if (endpoint.HasBody)
        {
            request.Content = OrchRunApiClient.Json("{}");
        }

        using var response = await Api.Http.SendAsync(request);

        await ProblemAssert.IsValidationProblemAsync(response, "nsfilter");
    }

    [Test]
    public async Task List_WhenNsfilterHasSixtyFourAllowedCharacters_Returns200()
    {
        using var response = await Api.Http.GetAsync($"{OrchRunApiClient.RunsPath}?nsfilter=Az09_-{new string('x', 58)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
