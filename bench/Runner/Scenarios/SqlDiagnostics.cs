using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Bench.Scenarios;

/// <summary>
/// <c>OrchRunService.Bench sql --db F [--ns N] [--status S] [--id ID]</c>: runs the service's own
/// read-model queries (list page, deep page, count, find) against a database with EF Core's
/// command log on, prints the SQL, SQLite's plan for each and their timings. A profiling aid.
/// </summary>
internal static class SqlDiagnostics
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var db = Path.GetFullPath(Get("--db", "growth.db"));
        var ns = Get("--ns", GrowthAndCeiling.NamespaceOf(100_000));
        var status = Enum.Parse<OrchRunStatus>(Get("--status", "Failed"), ignoreCase: true);
        var commands = new List<string>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OrchRun"] = $"Data Source={db}",
            ["Worker:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetDirectoryName(db)!);
        if (!args.Contains("--no-log"))
        {
            services.ConfigureDbContext<SqliteOrchRunDbContext>(o => o.LogTo(
            line => commands.Add(line), [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted], LogLevel.Information, Microsoft.EntityFrameworkCore.Diagnostics.DbContextLoggerOptions.None));
        }

        await using var provider = services.BuildServiceProvider();

        async Task Measure(string label, Func<IOrchRunReadModel, Task> query)
        {
            for (var i = 0; i < 300; i++)
            {
                await using var warm = provider.CreateAsyncScope();
                await query(warm.ServiceProvider.GetRequiredService<IOrchRunReadModel>());
            }

            commands.Clear();
            var times = new List<double>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < 200; i++)
            {
                await using var scope = provider.CreateAsyncScope();
                var start = Stopwatch.GetTimestamp();
                await query(scope.ServiceProvider.GetRequiredService<IOrchRunReadModel>());
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / times.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {label}: p50 {Infra.Stats.Median(times):0.000} ms, CPU {cpuMs:0.000} ms per call, over {times.Count}"));
            foreach (var sql in commands.Distinct().Take(commands.Count / 200))
            {
                Console.WriteLine(sql.Trim());
                Console.WriteLine("   plan: " + Plan(db, sql));
            }
        }

        var first = new OrchRunListFilter(ns, 0, 20, [status], null, null);
        var total = (await ListAsync(provider, first)).Total;
        await Measure("first page", r => r.ListAsync(first, CancellationToken.None));
        await Measure("deep page", r => r.ListAsync(first with { Offset = total / 2 / 20 * 20 }, CancellationToken.None));
        await Measure("count only", r => r.ListAsync(first with { Offset = int.MaxValue }, CancellationToken.None));
        var id = Guid.Parse(Get("--id", (await ListAsync(provider, first)).Items[0].Id.ToString()));
        await Measure("find", r => r.FindAsync(id, ns, CancellationToken.None));
        return 0;
    }

    private static async Task<PagedResult<OrchRunDto>> ListAsync(IServiceProvider provider, OrchRunListFilter filter)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOrchRunReadModel>().ListAsync(filter, CancellationToken.None);
    }

    /// <summary>EXPLAIN QUERY PLAN of a logged command, its parameters inlined from the log line.</summary>
    private static string Plan(string db, string logged)
    {
        var sqlStart = logged.IndexOf("SELECT", StringComparison.Ordinal);
        if (sqlStart < 0)
        {
            return "-";
        }

        var sql = logged[sqlStart..];
        var parameters = System.Text.RegularExpressions.Regex.Matches(logged, @"(@\w+)='([^']*)'")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (var (name, value) in parameters.OrderByDescending(p => p.Key.Length))
        {
            sql = sql.Replace(name, long.TryParse(value, out _) ? value : $"'{value}'", StringComparison.Ordinal);
        }

        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        try
        {
            using var reader = command.ExecuteReader();
            var steps = new List<string>();
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }

            return string.Join(" | ", steps);
        }
        catch (SqliteException ex)
        {
            return "(no plan: " + ex.Message + ")";
        }
    }
}
