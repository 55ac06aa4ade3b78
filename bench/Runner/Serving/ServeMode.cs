namespace OrchRunService.Bench.Serving;

/// <summary>
/// <c>OrchRunService.Bench serve [args]</c>: runs the service's own entry point (src/Api Program,
/// Release build) in this process with the given arguments; the bench's hosting startup adds the
/// static ceiling endpoint when <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES</c> names this assembly.
/// <c>serve token --user u --namespace '*'</c> mints a token like the service binary does.
/// </summary>
internal static class ServeMode
{
    public static int Run(string[] args)
    {
        var entryPoint = typeof(Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("OrchRunService.Api has no entry point.");
        // MVC finds controllers in the application's assembly: the application is the service, not this host.
        string[] hostArgs = args.Length > 0 && args[0] == "token" ? args : [.. args, "--applicationName", typeof(Program).Assembly.GetName().Name!];
        var result = entryPoint.Invoke(null, [hostArgs]);
        return result switch
        {
            int code => code,
            Task<int> task => task.GetAwaiter().GetResult(),
            _ => 0,
        };
    }
}
