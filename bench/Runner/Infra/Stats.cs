namespace OrchRunService.Bench.Infra;

internal static class Stats
{
    public static readonly double[] PlotPercentiles = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9];

    /// <summary>The p-th percentile (0-100) by linear interpolation between closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    public static List<double[]> Distribution(IReadOnlyList<double> values) =>
        PlotPercentiles.Select(p => new[] { p, Percentile(values, p) }).ToList();
}
