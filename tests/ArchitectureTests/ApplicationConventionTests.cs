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

    [Test]
    public void Requests_WhenInspected_CarryTheirIdsTyped()
    {
        // Ids are parsed at the edge (path binder, body id parser); a handler never parses one.
        // BodyId only repeats the path id for the validator; sequence_type_id names a step by id or name.
        string[] notIds = ["BodyId", "SequenceTypeId"];
        var inputs = Layers.Application.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && (typeof(IMessage).IsAssignableFrom(t) || t.Name.EndsWith("Input", StringComparison.Ordinal)))
            .ToList();
        var textIds = inputs
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.Name.EndsWith("Id", StringComparison.Ordinal) && x.Property.PropertyType == typeof(string) && !notIds.Contains(x.Property.Name))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}");

        Assert.That(inputs, Has.Count.GreaterThanOrEqualTo(11));
        Assert.That(textIds, Is.Empty);
    }

    [Test]
    public void Handlers_WhenConstructed_LeaveIdempotencyAndTheQueuedRunLimitToTheRunEnqueuer()
    {
        var seams = new[] { typeof(Application.Common.Interfaces.IIdempotencyStore), typeof(Domain.OrchRuns.QueuedRunLimit), typeof(Application.Common.Interfaces.IRunQueueSignal) };
        var offenders = Handlers
            .Where(h => h.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => seams.Contains(p.ParameterType)))
            .Select(h => h.Name);

        Assert.That(offenders, Is.Empty, "new runs are queued through RunEnqueuer, keys checked by IdempotencyGuard");
    }
}
