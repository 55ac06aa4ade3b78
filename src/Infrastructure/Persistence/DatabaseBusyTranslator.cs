using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Turns the providers' busy and lock-timeout errors into <see cref="Application.Common.Exceptions.DatabaseBusyException"/>
/// wherever EF meets them (opening, statements, transactions, saves), so the layers above see
/// one application exception and no provider type. Throwing from a failure hook replaces the
/// exception EF was about to rethrow.
/// </summary>
internal sealed class DatabaseBusyTranslator : IDbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Translate(eventData?.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Translate(eventData?.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Translate(eventData?.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Translate(eventData?.Exception);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Translate(eventData?.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Translate(eventData?.Exception);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Translate(eventData?.Exception);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Translate(eventData?.Exception);
        return Task.CompletedTask;
    }

    private static void Translate(Exception? exception)
    {
        if (exception is not null and not Application.Common.Exceptions.DatabaseBusyException && DatabaseErrors.AsBusy(exception) is { } busy)
        {
            throw busy;
        }
    }
}
