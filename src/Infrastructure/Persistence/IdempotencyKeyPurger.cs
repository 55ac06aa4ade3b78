using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>Deletes Idempotency-Key records past their 24 h lifetime (the worker calls it now and then).</summary>
internal sealed class IdempotencyKeyPurger
{
    private readonly OrchRunDbContext _db;
    private readonly TimeProvider _clock;

    public IdempotencyKeyPurger(OrchRunDbContext db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = _clock.GetUtcNow() - IdempotencyRecord.Lifetime;
        return _db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
