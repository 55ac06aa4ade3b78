using ScottPlot;

namespace OrchRunService.Bench.Reporting;

/// <summary>The PNG plots of docs/benchmarks.md (ScottPlot), on log scales where times span decades.</summary>
internal static class Plots
{
    public static List<(string File, string Caption)> Write(BenchResults results, BenchResults? before, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<(string, string)>();
        if (Growth(results, before, Path.Combine(dir, "growth.png")))
        {
            written.Add(("growth.png", "p50 of the list's first page, a deep page (offset = half the matching runs) and _total alone, by runs in the namespace (log-log)" + (before is null ? string.Empty : "; dashed: before the fixes")));
        }

        if (Latency(results, "latency.api.", Path.Combine(dir, "api-latency.png"), "API vs static ceiling: latency under wrk load", new Dictionary<string, string>
        {
            ["latency.api.static_list"] = "static (list bytes)",
            ["latency.api.list"] = "GET /orchrun",
            ["latency.api.static_id"] = "static (run bytes)",
            ["latency.api.id"] = "GET /orchrun/{id}",
        }))
        {
            written.Add(("api-latency.png", "latency percentiles under wrk load: each API endpoint beside the static endpoint that answers the same bytes"));
        }

        if (Latency(results, "latency.e2e.", Path.Combine(dir, "e2e-latency.png"), "Create-to-RUNNING (OrchRun) vs enqueue-to-start (Hangfire)", new Dictionary<string, string>
        {
            ["latency.e2e.orchrun.low"] = "OrchRun, low load",
            ["latency.e2e.hangfire.low"] = "Hangfire, low load",
            ["latency.e2e.orchrun.burst"] = "OrchRun, burst",
            ["latency.e2e.hangfire.burst"] = "Hangfire, burst",
        }))
        {
            written.Add(("e2e-latency.png", "create-to-RUNNING (OrchRun) and enqueue-to-start (Hangfire) percentiles, at low load and during the burst"));
        }

        if (Nodes(results, Path.Combine(dir, "postgres-nodes.png")))
        {
            written.Add(("postgres-nodes.png", "end-to-end runs/s: SQLite with one node, PostgreSQL with one, two and three worker nodes on one database (all on one core)"));
        }

        if (Sweep(results, Path.Combine(dir, "hangfire-sweep.png")))
        {
            written.Add(("hangfire-sweep.png", "the Hangfire peer's configurations (enqueuers e, QueuePollInterval ms, workers w): jobs/s end to end and enqueues/s with the server running, one burst each; the line is OrchRun's runs/s"));
        }

        if (StartUp(results, Path.Combine(dir, "startup.png")))
        {
            written.Add(("startup.png", "a freshly started service: GET /orchrun requests/s in 1-s wrk slices by seconds since the process started, against the steady throughput of figure 1 and its 90 %"));
        }

        return written;
    }

    /// <summary>Figure 3a: a pair of bars (jobs/s, enqueues/s) per Hangfire configuration.</summary>
    private static bool Sweep(BenchResults results, string file)
    {
        var jobs = results.Series.FirstOrDefault(s => s.Name == "e2e.hangfire.sweep.jobs_per_s");
        var enqueues = results.Series.FirstOrDefault(s => s.Name == "e2e.hangfire.sweep.enqueues_per_s");
        if (jobs is null || jobs.Points.Count == 0)
        {
            return false;
        }

        // The series' x unit holds the configurations' keys in order.
        var keys = jobs.XUnit.Split(' ');
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var i = 0; i < jobs.Points.Count; i++)
        {
            bars.Add(new Bar { Position = (i * 3) + 0, Value = jobs.Points[i][1], FillColor = palette.GetColor(0) });
            if (enqueues is not null && i < enqueues.Points.Count)
            {
                bars.Add(new Bar { Position = (i * 3) + 1, Value = enqueues.Points[i][1], FillColor = palette.GetColor(1) });
            }
        }

        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "jobs/s end to end", FillColor = palette.GetColor(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "enqueues/s", FillColor = palette.GetColor(1) });
        if (results.Find("e2e.orchrun.runs_per_s") is { } orchRun)
        {
            var line = plot.Add.HorizontalLine(orchRun.Value);
            line.Color = palette.GetColor(2);
            line.LinePattern = LinePattern.Dashed;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "OrchRun runs/s", LineColor = palette.GetColor(2), LineWidth = 2 });
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, keys.Length).Select(i => (i * 3) + 0.5).ToArray(), keys.Select(k => k.Replace(".", "\n", StringComparison.Ordinal)).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title("The Hangfire peer's configurations");
        plot.YLabel("per second");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(file, 1000, 520);
        return true;
    }

    /// <summary>Figure 8: the list's throughput slice by slice from a fresh process, with the steady level and its 90 %.</summary>
    private static bool StartUp(BenchResults results, string file)
    {
        var slices = results.Series.FirstOrDefault(s => s.Name == "warmup.list");
        if (slices is null || slices.Points.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var scatter = plot.Add.Scatter(slices.Points.Select(p => p[0]).ToArray(), slices.Points.Select(p => p[1]).ToArray());
        scatter.Color = palette.GetColor(0);
        scatter.LineWidth = 2;
        scatter.MarkerSize = 5;
        scatter.LegendText = "GET /orchrun, 1-s slices";
        if (results.Series.FirstOrDefault(s => s.Name == "warmup.steady") is { Points.Count: > 0 } steady)
        {
            var level = plot.Add.HorizontalLine(steady.Points[0][1]);
            level.Color = palette.GetColor(2);
            level.LegendText = "steady (figure 1)";
            var ninety = plot.Add.HorizontalLine(0.9 * steady.Points[0][1]);
            ninety.Color = palette.GetColor(3);
            ninety.LinePattern = LinePattern.Dashed;
            ninety.LegendText = "90 % of steady";
        }

        if (results.Find("warmup.list_90pct_seconds") is { Target: not null } reached)
        {
            var at = plot.Add.VerticalLine(reached.Value);
            at.Color = Colors.Gray;
            at.LinePattern = LinePattern.Dotted;
            at.LegendText = "first slice at >= 90 %";
        }

        // From the launch and from zero: the curve's start is the point.
        var top = Math.Max(slices.Points.Max(p => p[1]), results.Series.FirstOrDefault(s => s.Name == "warmup.steady")?.Points.FirstOrDefault()?[1] ?? 0);
        plot.Axes.SetLimits(0, slices.Points.Max(p => p[0]) * 1.05, 0, top * 1.1);
        plot.Title("Start-up: list throughput of a fresh service process");
        plot.XLabel("seconds since the process started");
        plot.YLabel("requests/s");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(file, 800, 500);
        return true;
    }

    /// <summary>Figure 6's end-to-end bars, when the run measured them.</summary>
    private static bool Nodes(BenchResults results, string file)
    {
        var bars = new[] { ("pg.e2e.sqlite.1", "SQLite, 1 node"), ("pg.e2e.postgres.1", "PostgreSQL, 1"), ("pg.e2e.postgres.2", "PostgreSQL, 2"), ("pg.e2e.postgres.3", "PostgreSQL, 3") }
            .Select(b => (Figure: results.Find(b.Item1), Label: b.Item2))
            .Where(b => b.Figure is not null)
            .ToList();
        if (bars.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        plot.Add.Bars(bars.Select(b => b.Figure!.Value).ToArray());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title("End to end by provider and worker nodes");
        plot.YLabel("runs/s");
        plot.SavePng(file, 800, 500);
        return true;
    }

    private static bool Growth(BenchResults results, BenchResults? before, string file)
    {
        var names = new[] { ("growth.first_page", "first page"), ("growth.deep_page", "deep page"), ("growth.total", "_total") };
        if (!results.Series.Any(s => s.Name == "growth.first_page"))
        {
            return false;
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var (source, dashed) in new[] { (results, false), (before, true) })
            {
                var series = source?.Series.FirstOrDefault(s => s.Name == names[i].Item1);
                if (series is null || series.Points.Count == 0)
                {
                    continue;
                }

                var scatter = plot.Add.Scatter(series.Points.Select(p => Math.Log10(p[0])).ToArray(), series.Points.Select(p => Math.Log10(Math.Max(p[1], 0.01))).ToArray());
                scatter.Color = palette.GetColor(i);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 7;
                if (dashed)
                {
                    scatter.LinePattern = LinePattern.Dashed;
                    scatter.LegendText = names[i].Item2 + " (before)";
                }
                else
                {
                    scatter.LegendText = names[i].Item2;
                }
            }
        }

        var sizes = results.Series.First(s => s.Name == "growth.first_page").Points.Select(p => p[0]).ToArray();
        plot.Axes.Bottom.SetTicks(sizes.Select(Math.Log10).ToArray(), sizes.Select(s => Scenarios.GrowthAndCeiling.Label((int)s)).ToArray());
        LogY(plot);
        plot.Title("List latency as the namespace grows (p50)");
        plot.XLabel("runs in the namespace");
        plot.YLabel("p50 (ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(file, 800, 500);
        return true;
    }

    private static bool Latency(BenchResults results, string prefix, string file, string title, Dictionary<string, string> labels)
    {
        var all = results.Series.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) && labels.ContainsKey(s.Name)).ToList();
        if (all.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var (name, label) in labels)
        {
            var series = all.FirstOrDefault(s => s.Name == name);
            if (series is null)
            {
                continue;
            }

            var points = series.Points.Where(p => !double.IsNaN(p[1])).ToList();
            var scatter = plot.Add.Scatter(points.Select(p => X(p[0])).ToArray(), points.Select(p => Math.Log10(Math.Max(p[1], 0.01))).ToArray());
            scatter.Color = palette.GetColor(i++);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
            scatter.LegendText = label;
        }

        double[] ticks = [10, 50, 90, 99, 99.9];
        plot.Axes.Bottom.SetTicks(ticks.Select(X).ToArray(), ticks.Select(t => $"p{t}").ToArray());
        LogY(plot);
        plot.Title(title);
        plot.XLabel("percentile");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(file, 800, 500);
        return true;
    }

    /// <summary>Percentile axis: -log10(1 - p) spreads the tail (p50 = 0.3, p90 = 1, p99 = 2, p99.9 = 3).</summary>
    private static double X(double percentile) => -Math.Log10(1 - (Math.Min(percentile, 99.99) / 100));

    private static void LogY(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
    }
}
