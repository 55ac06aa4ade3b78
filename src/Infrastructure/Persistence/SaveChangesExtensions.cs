using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Infrastructure.Persistence;

internal static class SaveChangesExtensions
{
    /// <summary>
    /// Saves, turning a lost race into the application's conflict: an optimistic one (the row's
    /// version moved), or being chosen as a deadlock's victim (a server database rolled our
    /// transaction back for a concurrent writer: the same "read again and retry"). The tracker is
    /// cleared so that a retry reads the winner's state instead of our stale copy.
    /// </summary>
    public static async Task SaveChangesGuardedAsync(this OrchRunDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            db.ChangeTracker.Clear();
            throw new ConcurrencyConflictException("The resource was changed or removed by someone else meanwhile.", ex);
        }
        catch (Exception ex) when (ex is DbUpdateException or DatabaseBusyException && DatabaseErrors.IsDeadlockVictim(ex))
        {
            db.ChangeTracker.Clear();
            throw new ConcurrencyConflictException("The resource was being changed by someone else at the same moment.", ex);
        }
    }
}
