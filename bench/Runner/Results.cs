using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchRunService.Bench;

/// <summary>One side of a ratio.</summary>
internal sealed record Side(string Name, double Value, string Unit);

/// <summary>A target: the figure must be <c>Op</c> (">=", "<=", "<") <c>Value</c>.</summary>
internal sealed record Target(string Op, double Value)
{
    public bool IsMetBy(double value) => Op switch
    {
        ">=" => value >= Value,
        "<=" => value <= Value,
        "<" => value < Value,
        ">" => value > Value,
        _ => false,
    };

    public override string ToString() => $"{Op} {Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>One measured figure; a ratio carries its two sides.</summary>
internal sealed record Figure
{
    public required string Name { get; init; }

    public required string Group { get; init; }

    public required string Title { get; init; }

    public required double Value { get; init; }

    public required string Unit { get; init; }

    public Side? Numerator { get; init; }

    public Side? Denominator { get; init; }

    public Target? Target { get; init; }

    public bool? Met => Target?.IsMetBy(Value);

    public string? Note { get; init; }
}

/// <summary>A named series of (x, y) points for a plot: latency percentiles or growth.</summary>
internal sealed record Series(string Name, string XUnit, string YUnit, List<double[]> Points);

internal sealed class BenchResults
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Mode { get; set; } = "full";

    public DateTimeOffset StartedAt { get; set; }

    public double DurationSeconds { get; set; }

    public Dictionary<string, string> MachineInfo { get; set; } = [];

    public Dictionary<string, string> Settings { get; set; } = [];

    public List<Figure> Figures { get; set; } = [];

    public List<Series> Series { get; set; } = [];

    public List<string> Notes { get; set; } = [];

    public void Add(Figure figure)
    {
        Figures.RemoveAll(f => f.Name == figure.Name);
        Figures.Add(figure);
        var target = figure.Target is null ? string.Empty : $"  (target {figure.Target}: {(figure.Met == true ? "met" : "MISSED")})";
        Console.WriteLine($"  {figure.Name} = {Format(figure.Value)} {figure.Unit}{target}");
    }

    public Figure? Find(string name) => Figures.FirstOrDefault(f => f.Name == name);

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    public static BenchResults Load(string path) =>
        JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Json) ?? new BenchResults();

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)
        : value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
