using Npgsql;

namespace OrchRunService.TestSupport;

/// <summary>
/// The PostgreSQL server the tests may use: its connection string (to any database the user may
/// create databases from) comes from <see cref="Variable"/>, which <c>./build.sh test</c> sets after
/// starting a private cluster. Each fixture creates a database of its own on it.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "ORCHRUN_TEST_POSTGRES";

    /// <summary>The server's connection string, or null when no PostgreSQL was made available.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>On CI (<c>CI=true</c>) a missing PostgreSQL is a failure, not a reason to skip.</summary>
    public static bool IsRequired =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string UnavailableReason =>
        $"PostgreSQL is not available: {Variable} is not set. ./build.sh test starts a private cluster when " +
        "PostgreSQL is installed, or installs it when it runs as root; or point the variable at a server.";

    /// <summary>Creates an empty database with a unique name; dropping it is the returned object's disposal.</summary>
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync()
    {
        var server = ConnectionString ?? throw new InvalidOperationException(UnavailableReason);
        var name = "orchrun_test_" + Guid.NewGuid().ToString("N")[..20];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,

            // Many fixtures and up to three service processes share one cluster's connections.
            MaxPoolSize = 30,
        };
        return new PostgresTestDatabase(server, name, builder.ToString());
    }
}

/// <summary>A database of one fixture on the test server; disposal drops it, closing what is still connected.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _server;

    internal PostgresTestDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
