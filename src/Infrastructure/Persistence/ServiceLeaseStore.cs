using Microsoft.EntityFrameworkCore;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// Takes and renews named leases in ServiceLeases with one conditional UPDATE (the row exists
/// from the first take on); only the very first take of a name inserts, and of two nodes racing
/// for that insert the key lets one win.
/// </summary>
internal sealed class ServiceLeaseStore
{
    private readonly OrchRunDbContext _db;
    private readonly TimeProvider _clock;

    public ServiceLeaseStore(OrchRunDbContext db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    /// <summary>
    /// Takes the lease for <paramref name="holder"/> until now + <paramref name="length"/> when it
    /// is free, expired or already <paramref name="holder"/>'s. Returns the expiry, or null when
    /// another node holds it.
    /// </summary>
    public async Task<DateTimeOffset?> TryTakeAsync(string name, string holder, TimeSpan length, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var expiresAt = now + length;
        var taken = await _db.ServiceLeases
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expiresAt), cancellationToken);
        if (taken == 1)
        {
            return expiresAt;
        }

        if (await _db.ServiceLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return null;
        }

        try
        {
            _db.ServiceLeases.Add(new ServiceLease(name, holder, expiresAt));
            await _db.SaveChangesAsync(cancellationToken);
            return expiresAt;
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsForeignOrUniqueKeyViolation(ex))
        {
            return null;
        }
        finally
        {
            _db.ChangeTracker.Clear();
        }
    }

    /// <summary>Gives the lease up at once (a clean shutdown), so another node need not wait for it to lapse.</summary>
    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        _db.ServiceLeases
            .Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UnixEpoch), cancellationToken);
}
