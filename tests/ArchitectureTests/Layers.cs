using System.Reflection;
using OrchRunService.Application.OrchRuns.Commands.CreateOrchRun;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.ArchitectureTests;

/// <summary>The four assemblies and the names used to speak of them in dependency rules.</summary>
internal static class Layers
{
    public const string DomainNamespace = "OrchRunService.Domain";
    public const string ApplicationNamespace = "OrchRunService.Application";
    public const string InfrastructureNamespace = "OrchRunService.Infrastructure";
    public const string ApiNamespace = "OrchRunService.Api";
    public const string ControllersNamespace = "OrchRunService.Api.Controllers";

    public const string EntityFrameworkCore = "Microsoft.EntityFrameworkCore";
    public const string AspNetCore = "Microsoft.AspNetCore";

    public static Assembly Domain { get; } = typeof(OrchRun).Assembly;

    public static Assembly Application { get; } = typeof(CreateOrchRunCommand).Assembly;

    public static Assembly Infrastructure { get; } = typeof(OrchRunDbContext).Assembly;

    public static Assembly Api { get; } = typeof(Program).Assembly;

    /// <summary>Names of the assemblies <paramref name="assembly"/> references, as compiled.</summary>
    public static IReadOnlyList<string> ReferencedAssemblyNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
}
