using NetArchTest.Rules;

namespace OrchRunService.ArchitectureTests;

/// <summary>
/// The Api knows Infrastructure only through the composition root: Program calls
/// <c>AddInfrastructure</c> and names nothing else of it; the rest of the Api names none of it.
/// Provider error codes and types stay in Persistence.
/// </summary>
public sealed class CompositionRootTests
{
    private const string InfrastructureRegistration = Layers.InfrastructureNamespace + ".DependencyInjection";

    [Test]
    public void Api_WhenInspected_NamesNoInfrastructureTypeOutsideProgram()
    {
        // Program (top-level statements) is in the global namespace; everything else of the Api is under OrchRunService.Api.
        var result = Types.InAssembly(Layers.Api)
            .That().ResideInNamespaceStartingWith(Layers.ApiNamespace)
            .ShouldNot()
            .HaveDependencyOnAny(Layers.InfrastructureNamespace, "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient")
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Program_WhenInspected_NamesOnlyTheInfrastructureRegistration()
    {
        var otherInfrastructureTypes = Layers.Infrastructure.GetTypes()
            .Where(t => t.FullName is { } name && name.StartsWith(Layers.InfrastructureNamespace + ".", StringComparison.Ordinal)
                && name != InfrastructureRegistration && !name.StartsWith(InfrastructureRegistration + "+", StringComparison.Ordinal))
            .Select(t => t.FullName!)
            .ToArray();

        var result = Types.InAssembly(Layers.Api)
            .That().DoNotResideInNamespaceStartingWith(Layers.ApiNamespace)
            .ShouldNot()
            .HaveDependencyOnAny(otherInfrastructureTypes)
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Program_WhenInspected_CallsTheInfrastructureRegistration()
    {
        // A canary: without it the two rules above would pass if Program were not looked at.
        var result = Types.InAssembly(Layers.Api)
            .That().DoNotResideInNamespaceStartingWith(Layers.ApiNamespace)
            .Should().NotHaveDependencyOn(InfrastructureRegistration)
            .GetResult();

        Assert.That(result.IsSuccessful, Is.False);
    }

    [Test]
    public void Infrastructure_WhenInspected_NamesProviderErrorTypesOnlyInPersistence()
    {
        var result = Types.InAssembly(Layers.Infrastructure)
            .That().DoNotResideInNamespaceStartingWith(Layers.InfrastructureNamespace + ".Persistence")
            .And().DoNotHaveName("DependencyInjection")
            .ShouldNot()
            .HaveDependencyOnAny("Microsoft.Data.Sqlite.SqliteException", "Microsoft.Data.SqlClient.SqlException")
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }
}
