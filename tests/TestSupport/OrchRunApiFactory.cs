using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrchRunService.Api.Auth;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.TestSupport;

/// <summary>
/// The real API in memory over a real SQLite file of its own (deleted on dispose), with the
/// worker switched off so runs stay QUEUED. Extra settings override configuration per factory;
/// <c>services</c> adds test services (a request tracker, say) after the application's own.
/// </summary>
public sealed class OrchRunApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The user of the clients this factory makes; its token grants every namespace.</summary>
    public const string DefaultUser = "functional-tests";

    /// <summary>Self-hosted token settings of the test service, so tests can mint any token they need.</summary>
    public static readonly AuthOptions Auth = new()
    {
        Issuer = "orchrun-tests",
        Audience = "orchrun",
        SigningKey = "orchrun-functional-tests-signing-key-0123456789abcdef",
    };

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private bool _filesDeleted;

    public OrchRunApiFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        DatabasePath = Path.Combine(Path.GetTempPath(), $"orchrun-functional-{Guid.NewGuid():N}.db");
    }

    public string DatabasePath { get; }

    /// <summary>A valid token for <paramref name="user"/> granting <paramref name="namespaces"/> ('*' for all).</summary>
    public static string TokenFor(string user, params string[] namespaces) =>
        DevelopmentTokenIssuer.Issue(Auth, user, namespaces, TimeSpan.FromHours(1));

    /// <summary>A client for the namespace <paramref name="namespace"/>, or a fresh one of its own.</summary>
    public OrchRunApiClient CreateApiClient(string? @namespace = null) =>
        new(CreateClient(), @namespace ?? TestNamespace.New());

    /// <summary>Runs <paramref name="action"/> with the application's own DbContext, in a scope of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<OrchRunDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<OrchRunDbContext>());
    }

    public Task WithDbAsync(Func<OrchRunDbContext, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return WithDbAsync(async db =>
        {
            await action(db);
            return true;
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:OrchRun", $"Data Source={DatabasePath}");
        builder.UseSetting("Worker:Enabled", "false");
        builder.UseSetting("Auth:Issuer", Auth.Issuer);
        builder.UseSetting("Auth:Audience", Auth.Audience);
        builder.UseSetting("Auth:SigningKey", Auth.SigningKey);

        // Hundreds of requests a second from one user are the point of these tests, not abuse.
        builder.UseSetting("RateLimit:PermitLimit", "1000000");

        // Scraped by the metrics tests as a monitoring network would; MetricsAccessTests turn it off.
        builder.UseSetting("Metrics:AllowAnonymous", "true");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>Every client of this factory carries a token of <see cref="DefaultUser"/> for all namespaces.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(DefaultUser, "*"));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_filesDeleted)
        {
            _filesDeleted = true;
            DeleteDatabaseFiles();
        }
    }

    private void DeleteDatabaseFiles()
    {
        // Pooled connections keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A temp file left behind is not worth failing a test run for.
            }
        }
    }
}
