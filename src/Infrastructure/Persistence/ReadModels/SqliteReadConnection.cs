using Microsoft.Data.Sqlite;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// One open, read-only connection with the statements it has prepared, kept by SQL text: a read
/// binds its parameters on a statement SQLite parsed once, instead of parsing it on every request
/// (Microsoft.Data.Sqlite finalizes a connection's statements when the connection closes).
/// Used by one renter at a time (see <see cref="SqliteReadConnectionPool"/>).
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteReadConnection(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>How many statements this connection holds prepared.</summary>
    public int PreparedCount => _prepared.Count;

    /// <summary>
    /// The prepared command for <paramref name="sql"/>, with the parameters of its last use still
    /// set: the caller binds every parameter the text names before executing it. The set of texts
    /// is small and fixed (the read model builds them from a bounded set of shapes), so the cache
    /// needs no eviction.
    /// </summary>
    public SqliteCommand Prepared(string sql)
    {
        if (_prepared.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = _connection.CreateCommand();
        try
        {
            command.CommandText = sql;
            command.Prepare();
        }
        catch
        {
            command.Dispose();
            throw;
        }

        _prepared.Add(sql, command);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        _connection.Dispose();
    }
}
