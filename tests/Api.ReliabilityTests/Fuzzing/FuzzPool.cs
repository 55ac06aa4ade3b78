using OrchRunService.Api.ReliabilityTests.Support;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>
/// The ids the fuzzer may use, read from the database between cases: the fuzz namespace's runs
/// (live and finished), orchestrators with their step ids and secrets' names, another namespace's ids, and ids
/// that existed once and were deleted (use-after-delete).
/// </summary>
public sealed class FuzzPool
{
    private readonly HashSet<string> _everSeen = new(StringComparer.Ordinal);
    private readonly List<string> _deleted = [];

    public FuzzPool(string @namespace, string otherNamespace)
    {
        Namespace = @namespace;
        OtherNamespace = otherNamespace;
    }

    public string Namespace { get; }

    public string OtherNamespace { get; }

    public IReadOnlyList<string> LiveRunIds { get; private set; } = [];

    public IReadOnlyList<string> FinishedRunIds { get; private set; } = [];

    public IReadOnlyList<string> OrchestratorIds { get; private set; } = [];

    public IReadOnlyList<string> ScheduleIds { get; private set; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> StepIds { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> OtherNamespaceIds { get; private set; } = [];

    /// <summary>The names of the fuzz namespace's secrets (a name is a secret's id in the path).</summary>
    public IReadOnlyList<string> SecretNames { get; private set; } = [];

    public IReadOnlyList<string> DeletedIds => _deleted;

    public void Refresh(DatabaseProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var runs = probe.Column($"SELECT Id, Status FROM OrchRuns WHERE Namespace = '{Namespace}'", r => (Id: Text(r.GetGuid(0)), Status: r.GetInt32(1)));
        LiveRunIds = runs.Where(r => r.Status is 1 or 2 or 3).Select(r => r.Id).ToList();
        FinishedRunIds = runs.Where(r => r.Status is 4 or 5 or 6).Select(r => r.Id).ToList();
        OrchestratorIds = probe.Column($"SELECT Id FROM Orchestrators WHERE Namespace = '{Namespace}'", r => Text(r.GetGuid(0)));
        ScheduleIds = probe.Column($"SELECT Id FROM Schedules WHERE Namespace = '{Namespace}'", r => Text(r.GetGuid(0)));
        StepIds = probe.Column(
                $"SELECT s.OrchestratorId, s.Id FROM OrchestratorSteps s JOIN Orchestrators o ON o.Id = s.OrchestratorId WHERE o.Namespace = '{Namespace}'",
                r => (Orchestrator: Text(r.GetGuid(0)), Step: Text(r.GetGuid(1))))
            .GroupBy(s => s.Orchestrator, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(s => s.Step).ToList(), StringComparer.Ordinal);
        SecretNames = probe.Column($"SELECT Name FROM Secrets WHERE Namespace = '{Namespace}'", r => r.GetString(0));
        OtherNamespaceIds = probe.Column(
            $"SELECT Id FROM OrchRuns WHERE Namespace = '{OtherNamespace}' UNION ALL SELECT Id FROM Orchestrators WHERE Namespace = '{OtherNamespace}' UNION ALL SELECT Id FROM Schedules WHERE Namespace = '{OtherNamespace}'",
            r => Text(r.GetGuid(0)));

        var present = new HashSet<string>(LiveRunIds.Concat(FinishedRunIds).Concat(OrchestratorIds).Concat(ScheduleIds), StringComparer.Ordinal);
        foreach (var gone in _everSeen.Where(id => !present.Contains(id)).ToList())
        {
            _everSeen.Remove(gone);
            _deleted.Add(gone);
        }

        if (_deleted.Count > 200)
        {
            _deleted.RemoveRange(0, _deleted.Count - 200);
        }

        _everSeen.UnionWith(present);
    }

    private static string Text(Guid id) => id.ToString("D");
}
