namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Bounds of a run's log: a line longer than <see cref="MaxLineLength"/> characters is cut with
/// <see cref="TruncatedMarker"/> (<c>Runs:MaxLogLineLength</c>), and a connector's line that would
/// make the log reach <see cref="MaxLinesPerRun"/> lines (<c>Runs:MaxLogLinesPerRun</c>) is replaced
/// by a line saying so, after which the step fails and the log is ended.
/// </summary>
public sealed record RunLogLimits
{
    public const int DefaultMaxLineLength = 8 * 1024;
    public const int DefaultMaxLinesPerRun = 100_000;
    public const int MinMaxLineLength = 256;

    /// <summary>The service's own lines after the limit (the step's failure and the closing lines) fit in this many.</summary>
    public const int MinMaxLinesPerRun = 100;

    public const string MaxLineLengthKey = "Runs:MaxLogLineLength";
    public const string MaxLinesPerRunKey = "Runs:MaxLogLinesPerRun";

    /// <summary>Ends a cut line, so a reader sees that it was cut.</summary>
    public const string TruncatedMarker = "… [truncated]";

    public RunLogLimits(int maxLineLength, int maxLinesPerRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, MinMaxLineLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerRun, MinMaxLinesPerRun);
        MaxLineLength = maxLineLength;
        MaxLinesPerRun = maxLinesPerRun;
    }

    public static RunLogLimits Default { get; } = new(DefaultMaxLineLength, DefaultMaxLinesPerRun);

    public int MaxLineLength { get; }

    public int MaxLinesPerRun { get; }

    /// <summary><paramref name="message"/>, cut to <see cref="MaxLineLength"/> characters with the marker when longer.</summary>
    public string Truncate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length <= MaxLineLength)
        {
            return message;
        }

        var keep = MaxLineLength - TruncatedMarker.Length;

        // Never keep half of a surrogate pair: the line must stay text.
        if (char.IsHighSurrogate(message[keep - 1]))
        {
            keep--;
        }

        return string.Concat(message.AsSpan(0, keep), TruncatedMarker);
    }
}
