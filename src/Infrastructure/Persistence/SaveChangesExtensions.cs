using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Infrastructure.Persistence;

internal static class SaveChangesExtensions
{
    /// <summary>
    /// Saves, turning a lost optimistic race into the application's conflict. The tracker is
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
    }
}
