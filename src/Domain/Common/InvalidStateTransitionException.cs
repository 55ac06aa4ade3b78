namespace OrchRunService.Domain.Common;

/// <summary>A transition the aggregate's current state does not allow.</summary>
public sealed class InvalidStateTransitionException : DomainException
{
    public InvalidStateTransitionException(string message) : base(message)
    {
    }
}
