using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>
/// A PostgreSQL database of the fixture's own, or the fixture skipped with the reason when no
/// PostgreSQL is available (failed instead on CI, where it must be).
/// </summary>
internal static class PostgresDatabase
{
    public static async Task<PostgresTestDatabase> CreateAsync()
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
