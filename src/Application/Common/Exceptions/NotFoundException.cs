namespace OrchRunService.Application.Common.Exceptions;

/// <summary>
/// The resource does not exist in the caller's namespace. A resource of another namespace is
/// reported the same way, so callers cannot probe for ids they may not see.
/// </summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string resource, object id)
        : base($"{resource} '{id}' was not found in this namespace.")
    {
        Resource = resource;
    }

    public string Resource { get; }
}
