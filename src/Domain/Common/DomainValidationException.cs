namespace OrchRunService.Domain.Common;

/// <summary>Input that is well-formed but breaks a domain invariant (a bad request, not a conflict).</summary>
public sealed class DomainValidationException : DomainException
{
    public DomainValidationException(string field, string message) : base(message)
    {
        Field = field;
    }

    /// <summary>The field the caller should fix, in domain names (<c>ActualParams[0].StepId</c>); the Api spells it as the wire does.</summary>
    public string Field { get; }
}
