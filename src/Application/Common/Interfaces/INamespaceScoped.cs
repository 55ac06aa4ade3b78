namespace OrchRunService.Application.Common.Interfaces;

/// <summary>A request that works inside one namespace, given by the mandatory nsfilter.</summary>
public interface INamespaceScoped
{
    string Namespace { get; }
}
