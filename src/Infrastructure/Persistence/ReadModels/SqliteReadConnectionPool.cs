using Microsoft.Data.Sqlite;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// A few long-lived, open, read-only connections to the service's SQLite file, each keeping its
/// prepared statements (<see cref="SqliteReadConnection"/>). A read rents one, so it pays neither
/// the opening of a connection nor the parsing of its SQL. Connections are opened when first
/// needed, up to <see cref="MaxConnections"/>; beyond that a read waits for one to come back.
/// </summary>
/// <remarks>
/// In WAL mode readers neither block nor are blocked by the writer. A connection whose read threw
/// is disposed rather than returned, so a statement left mid-step, an interrupted connection or a
/// corrupt handle never reaches the next request.
/// </remarks>
internal sealed class SqliteReadConnectionPool : IDisposable
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<SqliteReadConnection> _idle = new();
    private int _open;
    private bool _disposed;

    /// <param name="serviceConnectionString">The connection string the service's own contexts use.</param>
    /// <param name="busyTimeoutSeconds">Database:BusyTimeoutSeconds, applied as on the service's other connections.</param>
    /// <param name="maxConnections">How many connections may be open (and rented) at once.</param>
    public SqliteReadConnectionPool(string serviceConnectionString, int busyTimeoutSeconds, int maxConnections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        _connectionString = new SqliteConnectionStringBuilder(serviceConnectionString)
        {
            Mode = SqliteOpenMode.ReadOnly,

            // These connections are the pool: closing one must really close the file (and
            // Microsoft.Data.Sqlite's pool would finalize the prepared statements anyway).
            Pooling = false,
        }.ToString();
        _busyTimeoutMilliseconds = busyTimeoutSeconds * 1000;
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
        MaxConnections = maxConnections;
    }

    public int MaxConnections { get; }

    /// <summary>Connections open now, rented or idle.</summary>
    public int OpenCount => Volatile.Read(ref _open);

    /// <summary>
    /// Runs <paramref name="read"/> on a rented connection and returns the connection afterwards,
    /// or disposes it when <paramref name="read"/> threw. The read runs synchronously: Microsoft.Data.Sqlite's
    /// async methods do the same work on the calling thread, only with more allocations.
    /// </summary>
    public async ValueTask<TResult> ReadAsync<TState, TResult>(TState state, Func<SqliteReadConnection, TState, TResult> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var connection = await RentAsync(cancellationToken);
        TResult result;
        try
        {
            result = read(connection, state);
        }
        catch (Exception ex)
        {
            Discard(connection);
            if (DatabaseErrors.AsBusy(ex) is { } busy && busy != ex)
            {
                throw busy;
            }

            throw;
        }

        Return(connection);
        return result;
    }

    public void Dispose()
    {
        lock (_idle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            while (_idle.TryPop(out var connection))
            {
                Close(connection);
            }
        }

        // The semaphore is left undisposed: renters still out release their slot when they come back.
    }

    private async ValueTask<SqliteReadConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_slots.Wait(0))
        {
            await _slots.WaitAsync(cancellationToken);
        }

        try
        {
            // Checked once a slot is held, so a request cancelled while it waited does not run.
            cancellationToken.ThrowIfCancellationRequested();
            lock (_idle)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_idle.TryPop(out var idle))
                {
                    return idle;
                }

                // Counted under the lock so Dispose never misses one; opened outside it.
                Interlocked.Increment(ref _open);
            }

            return Open();
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private SqliteReadConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteBusyTimeoutInterceptor.ApplyTo(connection, _busyTimeoutMilliseconds);
            return new SqliteReadConnection(connection);
        }
        catch
        {
            connection.Dispose();
            Interlocked.Decrement(ref _open);
            throw;
        }
    }

    private void Return(SqliteReadConnection connection)
    {
        lock (_idle)
        {
            if (_disposed)
            {
                Close(connection);
            }
            else
            {
                _idle.Push(connection);
            }
        }

        _slots.Release();
    }

    private void Discard(SqliteReadConnection connection)
    {
        Close(connection);
        _slots.Release();
    }

    private void Close(SqliteReadConnection connection)
    {
        connection.Dispose();
        Interlocked.Decrement(ref _open);
    }
}
