namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Who is calling: the id that goes into a run's <c>_createdby</c>, and the namespaces they may use.</summary>
public interface ICurrentUser
{
    string UserId { get; }

    /// <summary>Whether the caller may read and change resources of <paramref name="namespace"/>.</summary>
    bool MayUseNamespace(string @namespace);
}
