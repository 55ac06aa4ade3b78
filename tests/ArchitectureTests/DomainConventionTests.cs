using System.Reflection;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.ArchitectureTests;

/// <summary>The domain owns every change of its aggregates: state is set through methods only.</summary>
public sealed class DomainConventionTests
{
    [TestCase(typeof(OrchRun))]
    [TestCase(typeof(OrchRunStep))]
    [TestCase(typeof(Orchestrator))]
    [TestCase(typeof(OrchestratorStep))]
    public void Aggregate_WhenInspected_HasNoPublicSetter(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        Assert.That(properties, Is.Not.Empty);

        // init accessors are public set methods too.
        var publiclySettable = properties.Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);

        Assert.That(publiclySettable, Is.Empty);
    }

    [TestCase(typeof(OrchRun))]
    [TestCase(typeof(OrchRunStep))]
    [TestCase(typeof(Orchestrator))]
    [TestCase(typeof(OrchestratorStep))]
    public void Aggregate_WhenInspected_HasNoPublicConstructorNorPublicField(Type type)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance), Is.Empty, "created through factory methods");
            Assert.That(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name), Is.Empty);
        }
    }

    [TestCase(typeof(OrchRun), nameof(OrchRun.Steps))]
    [TestCase(typeof(Orchestrator), nameof(Orchestrator.Steps))]
    public void Aggregate_WhenInspected_ExposesItsStepsReadOnly(Type type, string property)
    {
        var steps = type.GetProperty(property)!;

        Assert.That(steps.PropertyType.GetGenericTypeDefinition(), Is.EqualTo(typeof(IReadOnlyList<>)));
    }
}
