using Microsoft.EntityFrameworkCore;

namespace OrchRunService.Infrastructure.Persistence;

/// <summary>OFFSET paging as both lists (runs and orchestrators) do it.</summary>
internal static class PagingExtensions
{
    /// <summary>
    /// The window of an ordered query; no query at all when <paramref name="total"/> says the
    /// window starts past the end (a request for the count alone).
    /// </summary>
    public static async Task<IReadOnlyList<T>> PageAsync<T>(this IQueryable<T> ordered, int offset, int pageSize, int total, CancellationToken cancellationToken) =>
        total <= offset ? [] : await ordered.Skip(offset).Take(pageSize).ToListAsync(cancellationToken);
}
