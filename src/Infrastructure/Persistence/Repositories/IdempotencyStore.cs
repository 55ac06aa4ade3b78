using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class IdempotencyStore : IIdempotencyStore
{
    private readonly OrchRunDbContext _db;

    public IdempotencyStore(OrchRunDbContext db)
    {
        _db = db;
    }

    public Task<IdempotencyRecord?> FindAsync(string @namespace, string userId, string key, CancellationToken cancellationToken) =>
        _db.IdempotencyRecords.SingleOrDefaultAsync(r => r.Namespace == @namespace && r.UserId == userId && r.Key == key, cancellationToken);

    public void Add(IdempotencyRecord record) => _db.IdempotencyRecords.Add(record);
}
