using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrchRunService.Infrastructure.IntegrationTests.Worker;

/// <summary>
/// Counts what costs a SQLite write (and its fsync) on one database file: committed transactions,
/// and data-changing statements run outside any transaction (each its own implicit transaction).
/// Listens to EF Core's diagnostic events, filtered by the file, so fixtures running in parallel
/// on other files do not count.
/// </summary>
internal sealed class WriteTransactionCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _databaseFolder;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _gate = new();
    private int _commits;
    private int _writesOutsideTransactions;

    public WriteTransactionCounter(string databaseFolder)
    {
        _databaseFolder = databaseFolder;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public int Commits
    {
        get
        {
            lock (_gate)
            {
                return _commits;
            }
        }
    }

    public int WritesOutsideTransactions
    {
        get
        {
            lock (_gate)
            {
                return _writesOutsideTransactions;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_gate)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        switch (value.Value)
        {
            case TransactionEndEventData commit when value.Key == RelationalEventId.TransactionCommitted.Name && commit.Context is { } context && IsOurs(context.Database.GetDbConnection()):
                lock (_gate)
                {
                    _commits++;
                }

                break;
            case CommandExecutedEventData executed when value.Key == RelationalEventId.CommandExecuted.Name
                                                        && executed.Command.Transaction is null
                                                        && IsOurs(executed.Connection)
                                                        && IsWrite(executed.Command.CommandText):
                lock (_gate)
                {
                    _writesOutsideTransactions++;
                }

                break;
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    private static bool IsWrite(string sql)
    {
        var text = sql.TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase);
    }

    private bool IsOurs(DbConnection connection) => connection.ConnectionString.Contains(_databaseFolder, StringComparison.Ordinal);
}
