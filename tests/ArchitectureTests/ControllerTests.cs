using Microsoft.AspNetCore.Mvc;
using NetArchTest.Rules;

namespace OrchRunService.ArchitectureTests;

/// <summary>Controllers only translate HTTP to mediator requests and back.</summary>
public sealed class ControllerTests
{
    private static IReadOnlyList<Type> Controllers =>
        Layers.Api.GetTypes().Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract).ToList();

    [Test]
    public void Controllers_WhenInspected_DoNotDependOnInfrastructureOrPersistence()
    {
        var result = Types.InAssembly(Layers.Api)
            .That().ResideInNamespace(Layers.ControllersNamespace)
            .ShouldNot()
            .HaveDependencyOnAny(
                Layers.InfrastructureNamespace,
                Layers.EntityFrameworkCore,
                "Microsoft.Data.Sqlite",
                "Microsoft.Data.SqlClient",
                Layers.ApplicationNamespace + ".Common.Interfaces")
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Controllers_WhenConstructed_TakeOnlyTheMediatorSender()
    {
        Assert.That(Controllers, Is.Not.Empty, "the rule must look at the controllers");
        using (Assert.EnterMultipleScope())
        {
            foreach (var controller in Controllers)
            {
                var parameters = controller.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).ToList();
                Assert.That(parameters, Is.EqualTo(new[] { typeof(Mediator.ISender) }), controller.Name);
            }
        }
    }

    [Test]
    public void Controllers_WhenInspected_DependOnTheMediator()
    {
        var result = Types.InAssembly(Layers.Api)
            .That().Inherit(typeof(ControllerBase))
            .And().AreNotAbstract()
            .Should().HaveDependencyOn("Mediator")
            .And().BeSealed()
            .And().ResideInNamespace(Layers.ControllersNamespace)
            .GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }
}
