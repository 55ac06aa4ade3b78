using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Orchestrators;

/// <summary>A pipeline definition in one namespace: an ordered list of connector steps.</summary>
public sealed class Orchestrator
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxUserTypeLength = 100;
    /// <summary>The ceiling of <see cref="OrchestratorStepLimit"/>: what no configuration may pass.</summary>
    public const int MaxSteps = 1000;

    private readonly List<OrchestratorStep> _steps = [];

    // For EF Core materialisation.
    private Orchestrator()
    {
        Name = string.Empty;
        Description = string.Empty;
        Namespace = string.Empty;
        UserType = string.Empty;
    }

    private Orchestrator(Guid id, string @namespace, DateTimeOffset createdAt)
        : this()
    {
        Id = id;
        Namespace = @namespace;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public string Description { get; private set; }

    /// <summary>The one namespace (project) that owns the definition.</summary>
    public string Namespace { get; private set; }

    public string UserType { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Steps in execution order.</summary>
    public IReadOnlyList<OrchestratorStep> Steps => _steps.OrderBy(s => s.SequenceNo).ToList();

    public static Orchestrator Create(
        string @namespace,
        string name,
        string? description,
        string? userType,
        IReadOnlyList<OrchestratorStepDefinition> steps,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        var orchestrator = new Orchestrator(Guid.CreateVersion7(), @namespace, now);
        orchestrator.Define(name, description, userType, steps);
        return orchestrator;
    }

    /// <summary>Replaces the definition; steps named by id keep their id, the others get new ones.</summary>
    public void Update(string name, string? description, string? userType, IReadOnlyList<OrchestratorStepDefinition> steps, DateTimeOffset now)
    {
        Define(name, description, userType, steps);
        UpdatedAt = now;
    }

    public OrchestratorStep? FindStep(Guid stepId) => _steps.Find(s => s.Id == stepId);

    private void Define(string name, string? description, string? userType, IReadOnlyList<OrchestratorStepDefinition> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainValidationException("Name", "An orchestrator needs a name.");
        }

        if (steps.Count == 0)
        {
            throw new DomainValidationException("Steps", "An orchestrator needs at least one step.");
        }

        if (steps.Count > MaxSteps)
        {
            throw new DomainValidationException("Steps", $"An orchestrator has at most {MaxSteps} steps.");
        }

        var duplicateSequence = steps.GroupBy(s => s.SequenceNo).FirstOrDefault(g => g.Count() > 1);
        if (duplicateSequence is not null)
        {
            throw new DomainValidationException("Steps", $"Sequence number {duplicateSequence.Key} is used by more than one step.");
        }

        var duplicateId = steps.Where(s => s.Id is not null).GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicateId is not null)
        {
            throw new DomainValidationException("Steps", $"Step id {duplicateId.Key} is given more than once.");
        }

        // Checked before anything changes, so a refused update leaves the definition as it was.
        var unknownId = steps.FirstOrDefault(s => s.Id is { } id && FindStep(id) is null);
        if (unknownId is not null)
        {
            throw new DomainValidationException("Steps", $"Step id {unknownId.Id} is not a step of this orchestrator.");
        }

        Name = name.Trim();
        Description = description ?? string.Empty;
        UserType = userType ?? string.Empty;

        var kept = new List<OrchestratorStep>(steps.Count);
        foreach (var definition in steps)
        {
            var existing = definition.Id is { } id ? FindStep(id) : null;
            if (existing is null)
            {
                kept.Add(new OrchestratorStep(Guid.CreateVersion7(), Id, definition.Name, definition.ComponentId, definition.SequenceNo, definition.Params, definition.Policy ?? StepExecutionPolicy.Default));
            }
            else
            {
                existing.Redefine(definition.Name, definition.ComponentId, definition.SequenceNo, definition.Params, definition.Policy ?? StepExecutionPolicy.Default);
                kept.Add(existing);
            }
        }

        _steps.Clear();
        _steps.AddRange(kept);
    }
}
