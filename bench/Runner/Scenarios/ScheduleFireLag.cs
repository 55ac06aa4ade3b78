using System.Globalization;
using OrchRunService.Bench.Infra;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// Figure 7: schedule fire lag. One node (SQLite) holds 1,000 schedules of one namespace, all
/// "* * * * *", so all 1,000 are due in the same second at each minute; the lag of a slot is its
/// run's <c>_createdat</c> minus its <c>_scheduledfor</c>. Two minute slots are measured: the first
/// right after the schedules were created, the second with the firing path warm (the figure).
/// </summary>
internal sealed class ScheduleFireLag
{
    private const string Namespace = "bench_sched";
    private const int Schedules = 1_000;

    private readonly BenchSettings _settings;
    private readonly BenchResults _results;

    public ScheduleFireLag(BenchSettings settings, BenchResults results)
    {
        _settings = settings;
        _results = results;
    }

    public async Task RunAsync()
    {
        var file = Path.Combine(_settings.WorkDir, "schedules.db");
        BenchRunner.DeleteDatabase(file);
        await using var node = await ServerProcess.StartAsync(file, Path.Combine(_settings.WorkDir, "schedules.log"), new Dictionary<string, string>
        {
            ["Schedules__MaxPerNamespace"] = (Schedules * 2).ToString(CultureInfo.InvariantCulture),
            ["Runs__MaxQueuedPerNamespace"] = (Schedules * 4).ToString(CultureInfo.InvariantCulture),
        });
        using var api = new ApiClient(node.BaseUrl, ServerProcess.MintToken(file), _settings.EndToEndClients);
        var orchestrator = await api.CreateOrchestratorAsync(Namespace, 0, 0);
        await Parallel.ForEachAsync(Enumerable.Range(0, Schedules), new ParallelOptions { MaxDegreeOfParallelism = _settings.EndToEndClients }, async (_, _) =>
            await api.SendJsonAsync(HttpMethod.Post, $"{ApiClient.BasePath}/schedule?nsfilter={Namespace}",
                $$"""{"orchestratorId":"{{orchestrator.Id}}","_cron":"* * * * *","_actualparams":[],"_overlap":"queue"}"""));
        Console.WriteLine($"schedules: {Schedules:N0} schedules created; waiting for two minute slots");

        var lags = new List<List<double>>();
        for (var slot = 0; slot < 2; slot++)
        {
            lags.Add(await NextSlotLagsAsync(api));
        }

        foreach (var (lag, name, title) in new[] { (lags[0], "cold", "the first slot after creating them"), (lags[1], "warm", "the next slot") })
        {
            _results.Add(new Figure
            {
                Name = $"schedules.lag.{name}.p50", Group = "schedules",
                Title = $"Schedule fire lag p50, {Schedules:N0} schedules due in the same second ({title})",
                Value = Stats.Median(lag), Unit = "ms",
                Note = Inv($"p99 {Stats.Percentile(lag, 99):F0} ms, max {lag.Max():F0} ms, {lag.Count:N0} runs"),
            });
        }
    }

    /// <summary>Waits for the next minute's slot to be fired for every schedule; returns each run's lag in ms.</summary>
    private static async Task<List<double>> NextSlotLagsAsync(ApiClient api)
    {
        var slot = DateTimeOffset.UtcNow;
        slot = new DateTimeOffset(slot.Year, slot.Month, slot.Day, slot.Hour, slot.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var slotMs = slot.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await Task.Delay(slot - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(45);
        while (true)
        {
            var lags = new List<double>();
            for (var offset = 0; ; offset += 1000)
            {
                var page = await api.SendJsonAsync(HttpMethod.Get, $"{ApiClient.Runs(Namespace)}&_pageSize=1000&_offset={offset}");
                var list = page["_list"]!.AsArray();
                foreach (var run in list.Where(r => r!["_scheduledfor"]?.GetValue<string>() == slotMs))
                {
                    lags.Add(long.Parse(run!["_createdat"]!.GetValue<string>(), CultureInfo.InvariantCulture) - slot.ToUnixTimeMilliseconds());
                }

                if (list.Count < 1000)
                {
                    break;
                }
            }

            if (lags.Count >= Schedules || DateTimeOffset.UtcNow > deadline)
            {
                Console.WriteLine(Inv($"schedules: slot {slot:HH:mm}: {lags.Count} runs, lag p50 {Stats.Median(lags):F0} ms, max {lags.DefaultIfEmpty().Max():F0} ms"));
                return lags;
            }

            await Task.Delay(500);
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
