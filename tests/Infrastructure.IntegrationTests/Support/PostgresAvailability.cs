using OrchRunService.TestSupport;

namespace OrchRunService.Infrastructure.IntegrationTests.Support;

/// <summary>
/// A PostgreSQL database of the caller's own, or the test skipped with the reason when no
/// PostgreSQL is available (failed instead on CI, where it must be).
/// </summary>
internal static class PostgresAvailability
{
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            if (PostgresTestServer.IsRequired)
            {
                Assert.Fail(PostgresTestServer.UnavailableReason);
            }

            Assert.Ignore(PostgresTestServer.UnavailableReason);
        }

        return await PostgresTestServer.CreateDatabaseAsync();
    }
}
