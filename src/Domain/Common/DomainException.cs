namespace OrchRunService.Domain.Common;

/// <summary>Base of every rule the domain refuses; the API maps each kind to its own status code.</summary>
public abstract class DomainException : Exception
{
    protected DomainException(string message) : base(message)
    {
    }
}
