using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class SecretRepository : ISecretRepository
{
    private readonly OrchRunDbContext _db;

    public SecretRepository(OrchRunDbContext db)
    {
        _db = db;
    }

    public Task<Secret?> FindAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        _db.Secrets.SingleOrDefaultAsync(s => s.Namespace == @namespace && s.Name == name, cancellationToken);

    public async Task<IReadOnlyList<Secret>> ReadAsync(string @namespace, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        await _db.Secrets.AsNoTracking().Where(s => s.Namespace == @namespace && names.Contains(s.Name)).ToListAsync(cancellationToken);

    public async Task<PagedResult<Secret>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken)
    {
        var query = _db.Secrets.AsNoTracking().Where(s => s.Namespace == @namespace);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.Name).PageAsync(offset, pageSize, total, cancellationToken);
        return new PagedResult<Secret>(items, total);
    }

    public void Add(Secret secret) => _db.Secrets.Add(secret);

    public void Remove(Secret secret) => _db.Secrets.Remove(secret);

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _db.SaveChangesGuardedAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsForeignOrUniqueKeyViolation(ex))
        {
            // Two first PUTs of one name at once: the second finds the row the first inserted.
            _db.ChangeTracker.Clear();
            throw new ConcurrencyConflictException("The secret was created by someone else meanwhile.", ex);
        }
    }
}
