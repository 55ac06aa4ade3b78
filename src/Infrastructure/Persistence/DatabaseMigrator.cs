using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Applies the provider's pending migrations, at start-up or from the <c>migrate</c> verb.
/// Several nodes may do it at once: one migrates and the others find nothing left to apply
/// (EF Core's migration lock; on PostgreSQL a session advisory lock around it, see
/// <see cref="PostgresOrchRunDbContext.ApplyMigrationsAsync"/>).
/// </summary>
internal sealed partial class DatabaseMigrator
{
    private readonly OrchRunDbContext _db;
    private readonly IOptions<DatabaseOptions> _options;
    private readonly ILogger<DatabaseMigrator> _logger;

    public DatabaseMigrator(OrchRunDbContext db, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
    {
        _db = db;
        _options = options;
        _logger = logger;
    }

    /// <summary>Creates the database if needed and applies every pending migration; returns how many were pending.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var provider = _options.Value.ParseProvider();
        if (provider == DatabaseProvider.Sqlite)
        {
            await PrepareSqliteAsync(cancellationToken);
        }

        var applied = await _db.ApplyMigrationsAsync(cancellationToken);
        LogMigrated(provider, applied);
        return applied;
    }

    /// <summary>Throws when migrations are pending: a node started without migrating must not run on an older schema.</summary>
    public async Task EnsureUpToDateAsync(CancellationToken cancellationToken)
    {
        var pending = (await _db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database has {pending.Count} pending migration(s) ({string.Join(", ", pending)}) and Database:MigrateOnStartup is false: run the 'migrate' verb first.");
        }
    }

    private async Task PrepareSqliteAsync(CancellationToken cancellationToken)
    {
        var dataSource = new SqliteConnectionStringBuilder(_db.Database.GetConnectionString()).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // WAL lets readers go on while a writer commits; the setting is stored in the file.
        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await _db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}); {Count} migration(s) applied")]
    private partial void LogMigrated(DatabaseProvider provider, int count);
}
