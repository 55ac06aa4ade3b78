using System.Text;
using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.OrchRuns;

/// <summary>
/// A run's parameters as stored (every step's <c>_actualparams</c> and <c>_runparams</c>, compact
/// UTF-8 JSON) take at most a configured number of bytes (<c>Runs:MaxParamsBytes</c>): one
/// tenant's runs cannot fill the database, and a page of runs has a known largest size.
/// </summary>
public sealed record RunParamsLimit
{
    public const int Default = 64 * 1024;

    /// <summary>The configuration key, named in every refusal so a user knows what bounds them.</summary>
    public const string ConfigurationKey = "Runs:MaxParamsBytes";

    public RunParamsLimit(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        MaxBytes = maxBytes;
    }

    public int MaxBytes { get; }

    /// <summary>What <paramref name="run"/>'s parameters take as stored.</summary>
    public static long SizeOf(OrchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Steps.Sum(s => (long)Encoding.UTF8.GetByteCount(s.ActualParams.Json) + Encoding.UTF8.GetByteCount(s.RunParams.Json));
    }

    public void EnsureWithin(OrchRun run)
    {
        var size = SizeOf(run);
        if (size > MaxBytes)
        {
            throw new DomainValidationException("ActualParams", TooLarge("The run's parameters as stored (each step's _actualparams and _runparams)", size));
        }
    }

    /// <summary>The refusal's wording: what is too large, its size and the limit by its key.</summary>
    public string TooLarge(string what, long size) =>
        $"{what} take {size} bytes; {ConfigurationKey} allows {MaxBytes}.";
}
