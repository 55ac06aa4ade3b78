using OrchRunService.Bench.Serving;

namespace OrchRunService.Bench;

internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var verb = args.Length > 0 ? args[0] : "run";
        var rest = args.Length > 0 ? args[1..] : [];
        switch (verb)
        {
            case "serve":
                return ServeMode.Run(rest);
            case "run":
                return await BenchRunner.RunAsync(BenchSettings.Parse(rest));
            case "sql":
                return await Scenarios.SqlDiagnostics.RunAsync(rest);
            case "compare":
                return await Scenarios.Compare.RunAsync(rest);
            case "report":
                return BenchRunner.Report(BenchSettings.Parse(rest));
            default:
                await Console.Error.WriteLineAsync("usage: OrchRunService.Bench run [--quick|--smoke] | report | compare reads|writes --variant name=KEY=VALUE ... | serve [service args]");
                return 2;
        }
    }
}
