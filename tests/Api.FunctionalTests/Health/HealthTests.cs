using System.Net;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Health;

public sealed class HealthTests : ApiTestBase
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Get_WhenServiceAndDatabaseAreUp_Returns200Healthy(string path)
    {
        using var response = await Api.Http.GetAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
        }
    }
}
