using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace OrchRunService.Api.FunctionalTests.Support;

/// <summary>
/// Counts the requests the API is still working on, by path, as the outermost middleware: a
/// request counts until the application has finished with it (a streamed answer included). Lets a
/// test see that the server let go of a request when its client went away. Add it with
/// <c>new OrchRunApiFactory(settings, services => services.AddSingleton&lt;IStartupFilter&gt;(tracker))</c>.
/// </summary>
public sealed class RequestTracker : IStartupFilter
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            _open.AddOrUpdate(path, 1, (_, n) => n + 1);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                _open.AddOrUpdate(path, 0, (_, n) => n - 1);
            }
        });
        next(app);
    };

    /// <summary>Requests in progress whose path contains <paramref name="pathPart"/>.</summary>
    public int Open(string pathPart) => _open.Where(p => p.Key.Contains(pathPart, StringComparison.Ordinal)).Sum(p => p.Value);

    /// <summary>Waits until no request whose path contains <paramref name="pathPart"/> is in progress; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilNoneOpenAsync(string pathPart, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Open(pathPart) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
