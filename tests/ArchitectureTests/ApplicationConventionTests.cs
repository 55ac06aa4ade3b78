using Mediator;

namespace OrchRunService.ArchitectureTests;

public sealed class ApplicationConventionTests
{
    private static readonly Type[] HandlerInterfaces =
    [
        typeof(ICommandHandler<,>), typeof(ICommandHandler<>), typeof(IQueryHandler<,>), typeof(IRequestHandler<,>), typeof(IRequestHandler<>),
        typeof(INotificationHandler<>), typeof(IStreamQueryHandler<,>), typeof(IStreamCommandHandler<,>), typeof(IStreamRequestHandler<,>),
    ];

    private static IReadOnlyList<Type> Handlers =>
        Layers.Application.GetTypes()
            .Where(t => t.IsClass && t.GetInterfaces().Any(i => i.IsGenericType && HandlerInterfaces.Contains(i.GetGenericTypeDefinition())))
            .ToList();

    [Test]
    public void Handlers_WhenInspected_AreSealed()
    {
        Assert.That(Handlers, Has.Count.GreaterThanOrEqualTo(11), "one handler per request of both resources");
        Assert.That(Handlers.Where(h => !h.IsSealed).Select(h => h.FullName), Is.Empty);
    }

    [Test]
    public void Handlers_WhenInspected_AreNamedAfterTheirRequest()
    {
        Assert.That(Handlers.Where(h => !h.Name.EndsWith("Handler", StringComparison.Ordinal)).Select(h => h.FullName), Is.Empty);
    }

    [Test]
    public void Requests_WhenInspected_HaveAValidator()
    {
        var requests = Layers.Application.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(IMessage).IsAssignableFrom(t))
            .ToList();
        var validated = Layers.Application.GetTypes()
            .Select(t => t.BaseType)
            .Where(b => b is { IsGenericType: true } && b.GetGenericTypeDefinition() == typeof(FluentValidation.AbstractValidator<>))
            .Select(b => b!.GetGenericArguments()[0])
            .ToHashSet();

        Assert.That(requests, Is.Not.Empty);
        Assert.That(requests.Where(r => !validated.Contains(r)).Select(r => r.Name), Is.Empty, "every request is validated in the pipeline");
    }
}
