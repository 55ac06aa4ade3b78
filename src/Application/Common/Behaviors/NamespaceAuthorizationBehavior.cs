using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.Common.Behaviors;

/// <summary>
/// Every namespace-scoped request is checked against the caller's namespaces before anything
/// else runs, so no handler (and no transport) can forget it. A malformed nsfilter is left to
/// validation (400).
/// </summary>
public sealed class NamespaceAuthorizationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly ICurrentUser _currentUser;

    public NamespaceAuthorizationBehavior(ICurrentUser currentUser)
    {
        _currentUser = currentUser;
    }

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (message is INamespaceScoped scoped
            && NamespaceRules.IsWellFormed(scoped.Namespace)
            && !_currentUser.MayUseNamespace(scoped.Namespace))
        {
            throw new ForbiddenAccessException(scoped.Namespace);
        }

        return next(message, cancellationToken);
    }
}
