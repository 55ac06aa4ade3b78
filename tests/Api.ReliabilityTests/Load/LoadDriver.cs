using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OrchRunService.TestSupport;

namespace OrchRunService.Api.ReliabilityTests.Load;

/// <summary>Relative weights of the operations a load client picks from.</summary>
public sealed record LoadMix(int Create, int List, int Get, int Logs, int Cancel, int Delete)
{
    public static LoadMix Soak { get; } = new(Create: 25, List: 20, Get: 20, Logs: 15, Cancel: 10, Delete: 10);

    /// <summary>No deletes: every acknowledged run must still be there after a crash.</summary>
    public static LoadMix CrashWithoutDeletes { get; } = new(Create: 50, List: 10, Get: 15, Logs: 15, Cancel: 10, Delete: 0);
}

/// <summary>A namespace under load and the orchestrator its runs are created from.</summary>
public sealed record LoadTarget(string Namespace, string OrchestratorId);

/// <summary>
/// A closed-loop HTTP load generator (loopback only): N clients each send one request after the
/// other, picking operations by weight. It remembers what the service acknowledged (creates
/// answered 200, deletes answered 204) and the longest log seen of each run, so a test can
/// check afterwards that nothing acknowledged was lost and that logs only ever grew.
/// </summary>
public sealed class LoadDriver
{
    private readonly LoadMix _mix;
    private readonly IReadOnlyList<LoadTarget> _targets;
    private readonly List<(string Id, string Namespace)> _pickable = [];
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serverErrors = new();

    public LoadDriver(IReadOnlyList<LoadTarget> targets, LoadMix mix)
    {
        _targets = targets;
        _mix = mix;
    }

    /// <summary>Runs whose create was answered 200: run id -> namespace.</summary>
    public ConcurrentDictionary<string, string> Acknowledged { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs whose delete was answered 204.</summary>
    public ConcurrentDictionary<string, byte> Deleted { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs a delete was sent for without an answer (the service died): either outcome is right.</summary>
    public ConcurrentDictionary<string, byte> DeleteUnanswered { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The longest log seen of each run, as its NDJSON lines.</summary>
    public ConcurrentDictionary<string, string[]> LogSnapshots { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Requests => _statuses.Values.Sum();

    public int TransportErrors { get; private set; }

    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    public IReadOnlyDictionary<string, int> Statuses => new SortedDictionary<string, int>(_statuses, StringComparer.Ordinal);

    /// <summary>Runs <paramref name="clients"/> loops against <paramref name="http"/> until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(HttpClient http, int clients, CancellationToken stop)
    {
        var loops = Enumerable.Range(0, clients).Select(i => Task.Run(() => LoopAsync(http, new Random(HashCode.Combine(i, Environment.TickCount)), stop), CancellationToken.None));
        await Task.WhenAll(loops);
    }

    /// <summary>p50/p99/max latency per operation in ms.</summary>
    public Dictionary<string, object> LatencySummary() =>
        _latencies.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p =>
        {
            var sorted = p.Value.Order().ToArray();
            return (object)new Dictionary<string, double>
            {
                ["count"] = sorted.Length,
                ["p50_ms"] = Math.Round(Percentile(sorted, 0.50), 1),
                ["p99_ms"] = Math.Round(Percentile(sorted, 0.99), 1),
                ["max_ms"] = Math.Round(sorted.LastOrDefault(), 1),
            };
        });

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private async Task LoopAsync(HttpClient http, Random random, CancellationToken stop)
    {
        var total = _mix.Create + _mix.List + _mix.Get + _mix.Logs + _mix.Cancel + _mix.Delete;
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(total);
            var target = _targets[random.Next(_targets.Count)];
            var run = PickRun(random);
            try
            {
                if ((roll -= _mix.Create) < 0)
                {
                    await CreateAsync(http, target, stop);
                }
                else if ((roll -= _mix.List) < 0)
                {
                    await SendAsync(http, "list", HttpMethod.Get, $"{OrchRunApiClient.RunsPath}?nsfilter={target.Namespace}&_pageSize=50", null, stop);
                }
                else if (run is null)
                {
                    continue;
                }
                else if ((roll -= _mix.Get) < 0)
                {
                    await SendAsync(http, "get", HttpMethod.Get, $"{OrchRunApiClient.RunsPath}/{run.Value.Id}?nsfilter={run.Value.Namespace}", null, stop);
                }
                else if ((roll -= _mix.Logs) < 0)
                {
                    await ReadLogAsync(http, run.Value, stop);
                }
                else if ((roll -= _mix.Cancel) < 0)
                {
                    await SendAsync(http, "cancel", HttpMethod.Put, $"{OrchRunApiClient.RunsPath}/{run.Value.Id}?nsfilter={run.Value.Namespace}", new JsonObject { ["id"] = run.Value.Id }, stop);
                }
                else
                {
                    await DeleteAsync(http, run.Value, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                lock (_gate)
                {
                    TransportErrors++;
                }

                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private (string Id, string Namespace)? PickRun(Random random)
    {
        lock (_gate)
        {
            return _pickable.Count == 0 ? null : _pickable[random.Next(_pickable.Count)];
        }
    }

    private async Task CreateAsync(HttpClient http, LoadTarget target, CancellationToken stop)
    {
        var (status, body) = await SendAsync(http, "create", HttpMethod.Post, $"{OrchRunApiClient.RunsPath}?nsfilter={target.Namespace}", OrchRunApiClient.RunBody(target.OrchestratorId), stop);
        if (status == HttpStatusCode.OK)
        {
            var id = OrchRunApiClient.IdOf(JsonNode.Parse(body)!);
            Acknowledged[id] = target.Namespace;
            lock (_gate)
            {
                _pickable.Add((id, target.Namespace));
            }
        }
    }

    private async Task DeleteAsync(HttpClient http, (string Id, string Namespace) run, CancellationToken stop)
    {
        DeleteUnanswered[run.Id] = 0;
        var (status, _) = await SendAsync(http, "delete", HttpMethod.Delete, $"{OrchRunApiClient.RunsPath}/{run.Id}?nsfilter={run.Namespace}", null, stop);
        DeleteUnanswered.TryRemove(run.Id, out _);
        if (status == HttpStatusCode.NoContent)
        {
            Deleted[run.Id] = 0;
            lock (_gate)
            {
                _pickable.Remove(run);
            }
        }
    }

    private async Task ReadLogAsync(HttpClient http, (string Id, string Namespace) run, CancellationToken stop)
    {
        var (status, body) = await SendAsync(http, "logs", HttpMethod.Get, $"{OrchRunApiClient.RunsPath}/logs/{run.Id}?nsfilter={run.Namespace}", null, stop);
        if (status == HttpStatusCode.OK)
        {
            var lines = SplitLog(JsonNode.Parse(body)!.GetValue<string>());
            LogSnapshots.AddOrUpdate(run.Id, lines, (_, seen) => lines.Length > seen.Length ? lines : seen);
        }
    }

    public static string[] SplitLog(string ndjson) => ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, string operation, HttpMethod method, string url, JsonObject? body, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = OrchRunApiClient.Json(body);
        }

        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, stop);
        var text = await response.Content.ReadAsStringAsync(stop);
        clock.Stop();
        _latencies.GetOrAdd(operation, _ => []).Add(clock.Elapsed.TotalMilliseconds);
        var code = (int)response.StatusCode;
        _statuses.AddOrUpdate($"{operation} {code}", 1, (_, n) => n + 1);
        if (code >= 500)
        {
            _serverErrors.Enqueue($"{method} {url}: {code} {text}");
        }

        return (response.StatusCode, text);
    }
}
