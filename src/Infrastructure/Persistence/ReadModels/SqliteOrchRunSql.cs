using System.Globalization;
using System.Text;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// The statements of <see cref="SqliteOrchRunReadModel"/>, over the tables the EF migrations
/// create. Every filter shape (how many statuses, which date bounds, one orchestrator or any) has one fixed text with
/// bound parameters, so each connection prepares at most a few dozen statements and keeps them.
/// </summary>
/// <remarks>
/// Columns are read by position (<see cref="OrchRunRowReader"/>): the run's columns first, then
/// the step's, null when the run has no step (LEFT JOIN).
/// </remarks>
internal static class SqliteOrchRunSql
{
    public const string Id = "$id";
    public const string Namespace = "$namespace";
    public const string CreatedFrom = "$createdFrom";
    public const string CreatedUntil = "$createdUntil";
    public const string OrchestratorId = "$orchestratorId";
    public const string Take = "$take";
    public const string Skip = "$skip";

    private const string RunColumns =
        "\"Id\", \"OrchestratorId\", \"Name\", \"Description\", \"Namespace\", \"UserType\", \"CreatedBy\", \"CreatedAt\", \"UpdatedAt\", \"Status\", \"Result\", \"RerunOfId\", \"ScheduleId\", \"ScheduledFor\"";

    private const string StepColumns =
        "\"s\".\"Id\", \"s\".\"OrchestratorStepId\", \"s\".\"Name\", \"s\".\"ComponentId\", \"s\".\"ActualParams\", \"s\".\"SequenceNo\", \"s\".\"RunParams\", \"s\".\"Status\", \"s\".\"StatusMessage\", \"s\".\"StartedAt\", \"s\".\"FinishedAt\"";

    // Steps in sequence; the step id breaks ties as EF's single query orders them (by key after the parent's).
    private const string StepOrder = "\"s\".\"SequenceNo\", \"s\".\"Id\"";

    // Every distinct status at most once: statuses beyond this count are built on demand.
    private static readonly int PrecomputedStatusCounts = Enum.GetValues<OrchRunStatus>().Length + 1;

    private static readonly string[] PageTexts = BuildAll(Page);
    private static readonly string[] CountTexts = BuildAll(Count);
    private static readonly string[] KeptCountTexts = Enumerable.Range(0, PrecomputedStatusCounts).Select(KeptCount).ToArray();

    /// <summary>A run of a namespace with its steps in order: no rows when it is not there.</summary>
    public static readonly string Find =
        $"SELECT {Prefixed("r")}, {StepColumns} FROM \"OrchRuns\" AS \"r\" " +
        $"LEFT JOIN \"OrchRunSteps\" AS \"s\" ON \"s\".\"RunId\" = \"r\".\"Id\" " +
        $"WHERE \"r\".\"Id\" = {Id} AND \"r\".\"Namespace\" = {Namespace} " +
        $"ORDER BY {StepOrder}";

    /// <summary>The name of the parameter for the <paramref name="index"/>-th status of a filter.</summary>
    public static string Status(int index) => "$status" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One page of a namespace's runs, newest first (then by id, descending), joined with their
    /// steps: the LIMIT applies in the subquery, so a page is one statement whatever its steps.
    /// </summary>
    public static string PageOf(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator) =>
        statusCount < PrecomputedStatusCounts ? PageTexts[ShapeIndex(statusCount, createdFrom, createdUntil, orchestrator)] : Page(statusCount, createdFrom, createdUntil, orchestrator);

    /// <summary>How many runs match the filter, counted row by row (for date bounds and an orchestrator, which the kept counts cannot answer).</summary>
    public static string CountOf(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator) =>
        statusCount < PrecomputedStatusCounts ? CountTexts[ShapeIndex(statusCount, createdFrom, createdUntil, orchestrator)] : Count(statusCount, createdFrom, createdUntil, orchestrator);

    /// <summary>How many runs of a namespace (of the statuses) there are, from the counts the RunStatusCounts triggers keep.</summary>
    public static string KeptCountOf(int statusCount) =>
        statusCount < PrecomputedStatusCounts ? KeptCountTexts[statusCount] : KeptCount(statusCount);

    /// <summary>Every text a list or a find can run, for the plan checks.</summary>
    public static IEnumerable<string> All() => PageTexts.Concat(CountTexts).Concat(KeptCountTexts).Append(Find);

    // LIMIT and OFFSET are expressions: SQLite's planner reads a bare bound integer there, and then
    // every new binding makes it compile the kept statement again (bench/NOTES.md, finding 12).
    private static string Page(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator) =>
        $"SELECT {Prefixed("page")}, {StepColumns} FROM (" +
        $"SELECT {Prefixed("r")} FROM \"OrchRuns\" AS \"r\" WHERE {Filter(statusCount, createdFrom, createdUntil, orchestrator)} " +
        $"ORDER BY \"r\".\"CreatedAt\" DESC, \"r\".\"Id\" DESC LIMIT ({Take} + 0) OFFSET ({Skip} + 0)) AS \"page\" " +
        $"LEFT JOIN \"OrchRunSteps\" AS \"s\" ON \"s\".\"RunId\" = \"page\".\"Id\" " +
        $"ORDER BY \"page\".\"CreatedAt\" DESC, \"page\".\"Id\" DESC, {StepOrder}";

    private static string Count(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator) =>
        $"SELECT COUNT(*) FROM \"OrchRuns\" AS \"r\" WHERE {Filter(statusCount, createdFrom, createdUntil, orchestrator)}";

    private static string KeptCount(int statusCount) =>
        $"SELECT COALESCE(SUM(\"Count\"), 0) FROM \"OrchRunStatusCounts\" WHERE \"Namespace\" = {Namespace}{StatusIn("\"Status\"", statusCount)}";

    private static string Filter(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator)
    {
        var filter = new StringBuilder($"\"r\".\"Namespace\" = {Namespace}");
        filter.Append(StatusIn("\"r\".\"Status\"", statusCount));
        if (orchestrator)
        {
            filter.Append(CultureInfo.InvariantCulture, $" AND \"r\".\"OrchestratorId\" = {OrchestratorId}");
        }

        if (createdFrom)
        {
            filter.Append(CultureInfo.InvariantCulture, $" AND \"r\".\"CreatedAt\" >= {CreatedFrom}");
        }

        if (createdUntil)
        {
            filter.Append(CultureInfo.InvariantCulture, $" AND \"r\".\"CreatedAt\" <= {CreatedUntil}");
        }

        return filter.ToString();
    }

    private static string StatusIn(string column, int statusCount) =>
        statusCount == 0 ? string.Empty : $" AND {column} IN ({string.Join(", ", Enumerable.Range(0, statusCount).Select(Status))})";

    private static string Prefixed(string alias) =>
        string.Join(", ", RunColumns.Split(", ").Select(column => $"\"{alias}\".{column}"));

    private static int ShapeIndex(int statusCount, bool createdFrom, bool createdUntil, bool orchestrator) =>
        (statusCount * 8) + (orchestrator ? 4 : 0) + (createdFrom ? 2 : 0) + (createdUntil ? 1 : 0);

    private static string[] BuildAll(Func<int, bool, bool, bool, string> build)
    {
        var texts = new string[PrecomputedStatusCounts * 8];
        for (var statusCount = 0; statusCount < PrecomputedStatusCounts; statusCount++)
        {
            foreach (var createdFrom in new[] { false, true })
            {
                foreach (var createdUntil in new[] { false, true })
                {
                    foreach (var orchestrator in new[] { false, true })
                    {
                        texts[ShapeIndex(statusCount, createdFrom, createdUntil, orchestrator)] = build(statusCount, createdFrom, createdUntil, orchestrator);
                    }
                }
            }
        }

        return texts;
    }
}
