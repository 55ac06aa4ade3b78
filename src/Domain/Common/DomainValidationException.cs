namespace OrchRunService.Domain.Common;

/// <summary>Input that is well-formed but breaks a domain invariant (a bad request, not a conflict).</summary>
public sealed class DomainValidationException : DomainException
{
    public DomainValidationException(string field, string message) : base(message)
    {
        Field = field;
    }

    /// <summary>The request field the caller should fix, in wire spelling.</summary>
    public string Field { get; }
}
