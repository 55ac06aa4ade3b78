namespace OrchRunService.Application.Common.Exceptions;

/// <summary>The caller is known but may not use the namespace it asked for.</summary>
public sealed class ForbiddenAccessException : Exception
{
    public ForbiddenAccessException(string @namespace)
        : base($"You may not use namespace '{@namespace}'.")
    {
        Namespace = @namespace;
    }

    public string Namespace { get; }
}
