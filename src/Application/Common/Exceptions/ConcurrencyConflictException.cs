namespace OrchRunService.Application.Common.Exceptions;

/// <summary>Someone else changed the resource between our read and our write.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
