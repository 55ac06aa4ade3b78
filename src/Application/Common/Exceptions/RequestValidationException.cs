namespace OrchRunService.Application.Common.Exceptions;

/// <summary>The request is malformed; <see cref="Errors"/> lists the problems per field (wire spelling).</summary>
public sealed class RequestValidationException : Exception
{
    public RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("One or more request fields are invalid.")
    {
        Errors = errors;
    }

    public RequestValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
