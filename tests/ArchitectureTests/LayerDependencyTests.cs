using System.Reflection;
using NetArchTest.Rules;

namespace OrchRunService.ArchitectureTests;

/// <summary>The design card's layering: Domain at the centre, Application around it, Infrastructure and Api outside.</summary>
public sealed class LayerDependencyTests
{
    [Test]
    public void Domain_WhenInspected_DependsOnNoOtherServiceAssemblyNorFramework()
    {
        var result = Types.InAssembly(Layers.Domain)
            .ShouldNot()
            .HaveDependencyOnAny(
                Layers.ApplicationNamespace,
                Layers.InfrastructureNamespace,
                Layers.ApiNamespace,
                Layers.EntityFrameworkCore,
                Layers.AspNetCore,
                "Mediator",
                "FluentValidation",
                "Riok.Mapperly")
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Domain_WhenCompiled_ReferencesNoOtherServiceAssemblyNorFramework()
    {
        var references = Layers.ReferencedAssemblyNames(Layers.Domain);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(references, Has.None.StartsWith("OrchRunService."));
            Assert.That(references, Has.None.StartsWith(Layers.EntityFrameworkCore));
            Assert.That(references, Has.None.StartsWith(Layers.AspNetCore));
        }
    }

    [Test]
    public void Application_WhenInspected_DependsNeitherOnInfrastructureApiEfCoreNorAspNetCore()
    {
        var result = Types.InAssembly(Layers.Application)
            .ShouldNot()
            .HaveDependencyOnAny(
                Layers.InfrastructureNamespace,
                Layers.ApiNamespace,
                Layers.EntityFrameworkCore,
                Layers.AspNetCore,
                "Microsoft.Data.Sqlite",
                "Microsoft.Data.SqlClient")
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Application_WhenCompiled_ReferencesOnlyDomainAmongServiceAssemblies()
    {
        var references = Layers.ReferencedAssemblyNames(Layers.Application);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(references.Where(r => r.StartsWith("OrchRunService.", StringComparison.Ordinal)), Is.EqualTo(new[] { Layers.Domain.GetName().Name }));
            Assert.That(references, Has.None.StartsWith(Layers.EntityFrameworkCore));
            Assert.That(references, Has.None.StartsWith(Layers.AspNetCore));
        }
    }

    [Test]
    public void Infrastructure_WhenInspected_DoesNotDependOnApi()
    {
        var result = Types.InAssembly(Layers.Infrastructure)
            .ShouldNot()
            .HaveDependencyOn(Layers.ApiNamespace)
            .GetResult();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailingTypeNames ?? [], Is.Empty);
            Assert.That(Layers.ReferencedAssemblyNames(Layers.Infrastructure), Has.No.EqualTo(Layers.Api.GetName().Name));
        }
    }

    [Test]
    public void Repositories_WhenInspected_AreNotPublic()
    {
        var result = Types.InAssembly(Layers.Infrastructure)
            .That().ResideInNamespace(Layers.InfrastructureNamespace + ".Persistence.Repositories")
            .Should().NotBePublic()
            .GetResult();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailingTypeNames ?? [], Is.Empty);
            Assert.That(
                Layers.Infrastructure.GetTypes().Count(t => t.Namespace == Layers.InfrastructureNamespace + ".Persistence.Repositories" && t.Name.EndsWith("Repository", StringComparison.Ordinal)),
                Is.GreaterThanOrEqualTo(2),
                "the rule must look at the repositories");
        }
    }

    [Test]
    public void DependencyRules_WhenADependencyExists_SeeIt()
    {
        // A canary: the rules above would pass vacuously if the tool saw no dependencies at all.
        var result = Types.InAssembly(Layers.Infrastructure)
            .ShouldNot().HaveDependencyOn(Layers.EntityFrameworkCore)
            .GetResult();

        Assert.That(result.IsSuccessful, Is.False);
    }

    [Test]
    public void Assemblies_WhenLoaded_AreTheServicesFourLayers()
    {
        Assembly[] layers = [Layers.Domain, Layers.Application, Layers.Infrastructure, Layers.Api];

        Assert.That(layers.Select(a => a.GetName().Name), Is.EqualTo(new[]
        {
            "OrchRunService.Domain", "OrchRunService.Application", "OrchRunService.Infrastructure", "OrchRunService.Api",
        }));
    }
}
