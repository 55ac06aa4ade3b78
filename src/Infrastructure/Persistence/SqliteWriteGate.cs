using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Queues this process's SQLite write transactions in memory before they ask SQLite for its write
/// lock. Every transaction the service begins on SQLite is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's
/// default), so only one can run at a time anyway; but a writer that finds the lock taken waits in
/// SQLite's busy handler, which sleeps and polls, leaving the lock idle between a commit and the next
/// waiter's poll. Here the next writer is woken the moment the previous one commits or rolls back;
/// SQLite's busy timeout still arbitrates with other processes. Waiting here counts against the
/// same Database:BusyTimeoutSeconds and ends in <see cref="DatabaseBusyException"/> (503).
/// Figures: docs/decisions/007-sqlite-write-gate.md.
/// </summary>
internal sealed class SqliteWriteGate : DbTransactionInterceptor, IDbConnectionInterceptor
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _timeout;

    // How often, while a turn is held, the gate looks for one held by a transaction that has already ended.
    private readonly TimeSpan _reclaimInterval;

    // Armed only while some turn is held; waiters themselves wait once, in order (FIFO).
    private readonly Timer _reclaimer;
    private int _reclaimerArmed;

    // The context whose transaction holds the gate, with that transaction; released once, whichever way it ends.
    private readonly ConcurrentDictionary<DbContext, DbTransaction> _holders = new();

    // When SQLite last refused a BEGIN as busy (Stopwatch ticks).
    private long _lastRefusedBegin;

    public SqliteWriteGate(TimeSpan timeout, TimeSpan reclaimInterval)
    {
        _timeout = timeout;
        _reclaimInterval = reclaimInterval;
        _reclaimer = new Timer(_ => ReclaimAndDisarmWhenIdle(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Waits for this process's write turn, then begins the transaction itself so that a BEGIN that
    /// SQLite refuses (another process holds the lock past the busy timeout) gives the turn back.
    /// </summary>
    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (eventData?.Context is not { } context || result.HasResult)
        {
            return result;
        }

        var queuedAt = Stopwatch.GetTimestamp();
        if (!_gate.Wait(_timeout))
        {
            throw Busy();
        }

        return Begin(context, queuedAt, () => connection.BeginTransaction(eventData.IsolationLevel));
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (eventData?.Context is not { } context || result.HasResult)
        {
            return result;
        }

        var queuedAt = Stopwatch.GetTimestamp();
        if (!await _gate.WaitAsync(_timeout, cancellationToken))
        {
            throw Busy();
        }

        // Microsoft.Data.Sqlite begins synchronously whatever the API; the async overload only wraps it.
        return Begin(context, queuedAt, () => connection.BeginTransaction(eventData.IsolationLevel));
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData?.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData?.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    /// <summary>COMMIT or ROLLBACK failed: the caller rolls back or disposes next; SQLite's own lock covers the overlap.</summary>
    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData?.Context);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A transaction disposed without commit or rollback (an exception on the way) is rolled back
    /// by the driver without an event; EF closes the connection it opened for it right after.
    /// </summary>
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(eventData?.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A transaction can end unheard: disposed without commit or rollback on a connection its user
    /// keeps open, EF raises no transaction event and closes nothing. The driver has rolled it back
    /// (it no longer has a connection), so it holds no SQLite lock; its turn is taken back here
    /// instead of stalling every writer of the process until they time out.
    /// </summary>
    private void ReclaimAndDisarmWhenIdle()
    {
        foreach (var (context, transaction) in _holders)
        {
            // Removed only if still that transaction's turn: the context may have begun another since.
            if (transaction.Connection is null && _holders.TryRemove(new KeyValuePair<DbContext, DbTransaction>(context, transaction)))
            {
                _gate.Release();
            }
        }

        if (_holders.IsEmpty)
        {
            // Disarm first, then look again: a turn taken meanwhile either saw the flag still set
            // (and is caught by this second look) or arms the timer after this disarming.
            _reclaimer.Change(Timeout.Infinite, Timeout.Infinite);
            Volatile.Write(ref _reclaimerArmed, 0);
            if (!_holders.IsEmpty)
            {
                ArmReclaimer();
            }
        }
    }

    private void ArmReclaimer()
    {
        if (Interlocked.CompareExchange(ref _reclaimerArmed, 1, 0) == 0)
        {
            _reclaimer.Change(_reclaimInterval, _reclaimInterval);
        }
    }

    private void Release(DbContext? context)
    {
        if (context is not null && _holders.TryRemove(context, out _))
        {
            _gate.Release();
        }
    }

    /// <summary>Called holding the turn: begins, or gives the turn back and fails.</summary>
    private InterceptionResult<DbTransaction> Begin(DbContext context, long queuedAt, Func<DbTransaction> begin)
    {
        // Another process held the write lock past the busy timeout while this writer queued:
        // waiting that long again would double the time to the 503, so fail now as it did. Only
        // SQLite's own refusals (below) mark the time, so these quick failures do not cascade.
        if (Volatile.Read(ref _lastRefusedBegin) > queuedAt)
        {
            _gate.Release();
            throw Busy();
        }

        try
        {
            var transaction = begin();
            _holders[context] = transaction;
            ArmReclaimer();
            return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
        }
        catch (Exception ex)
        {
            if (DatabaseErrors.IsTemporarilyUnavailable(ex))
            {
                Volatile.Write(ref _lastRefusedBegin, Stopwatch.GetTimestamp());
            }

            _gate.Release();
            if (DatabaseErrors.AsBusy(ex) is { } busy && busy != ex)
            {
                throw busy;
            }

            throw;
        }
    }

    private DatabaseBusyException Busy() =>
        new($"The database is busy: no write turn within {_timeout.TotalSeconds:0.#} s in this process.");
}
