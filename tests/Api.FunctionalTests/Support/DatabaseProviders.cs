using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Api.FunctionalTests.Support;

/// <summary>
/// The settings of an API over a database of the given provider: a SQLite file of the factory's
/// own, or a PostgreSQL database of the fixture's own (skipped with the reason when no PostgreSQL
/// is available, a failure on CI).
/// </summary>
internal static class DatabaseProviders
{
    public static async Task<(Dictionary<string, string?> Settings, PostgresTestDatabase? Database)> SettingsAsync(DatabaseProvider provider)
    {
        if (provider != DatabaseProvider.Postgres)
        {
            return (new Dictionary<string, string?> { ["Database:Provider"] = provider.ToString() }, null);
        }

        if (PostgresTestServer.ConnectionString is null)
        {
            if (PostgresTestServer.IsRequired)
            {
                Assert.Fail(PostgresTestServer.UnavailableReason);
            }

            Assert.Ignore(PostgresTestServer.UnavailableReason);
        }

        var database = await PostgresTestServer.CreateDatabaseAsync();
        return (new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["ConnectionStrings:OrchRun"] = database.ConnectionString,
        }, database);
    }
}
