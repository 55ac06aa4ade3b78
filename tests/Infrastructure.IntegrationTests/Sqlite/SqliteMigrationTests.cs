using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.ReadModels;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>The SQLite migration on a real file, and the query plans of the list.</summary>
public sealed partial class SqliteMigrationTests
{
    private SqliteTestDatabase? _database;

    private SqliteTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await SqliteTestDatabase.CreateMigratedAsync();

    [OneTimeTearDown]
    public async Task Delete()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task Migrate_WhenAppliedToAnEmptyFile_CreatesEveryTableAndLeavesNothingPending()
    {
        await using var db = Database.CreateContext();

        var tables = await QueryStringsAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                tables.Where(t => !t.StartsWith("__EFMigrations", StringComparison.Ordinal)),
                Is.EquivalentTo(new[] { "OrchRuns", "OrchRunSteps", "Orchestrators", "OrchestratorSteps", "OrchRunLogLines", "IdempotencyKeys", "OrchRunStatusCounts", "Secrets", "DataProtectionKeys", "Schedules", "ScheduleFires", "ServiceLeases" }));
            Assert.That(tables, Does.Contain("__EFMigrationsHistory"));
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
            Assert.That(db.Database.HasPendingModelChanges(), Is.False, "run dotnet ef migrations add for SqliteOrchRunDbContext");
        }
    }

    [Test]
    public async Task Migrate_WhenApplied_CreatesTheListAndWorkerIndexes()
    {
        var indexes = await QueryStringsAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'OrchRuns'");
        var listIndexSql = (await QueryStringsAsync("SELECT sql FROM sqlite_master WHERE name = 'IX_OrchRuns_Namespace_CreatedAt_Id'")).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(indexes, Is.SupersetOf(new[]
            {
                "IX_OrchRuns_Namespace_CreatedAt_Id", "IX_OrchRuns_Namespace_Status_CreatedAt", "IX_OrchRuns_Status_CreatedAt", "IX_OrchRuns_Status_LeaseExpiresAt",
            }));
            Assert.That(listIndexSql, Does.Contain("\"CreatedAt\" DESC").And.Contain("\"Id\" DESC"));
        }
    }

    [Test]
    public async Task Migrate_WhenAppliedTwice_IsANoOp()
    {
        await using var db = Database.CreateContext();

        Assert.That(async () => await db.Database.MigrateAsync(), Throws.Nothing);
        Assert.That(await db.Database.GetAppliedMigrationsAsync(), Is.EqualTo(db.Database.GetMigrations()));
        Assert.That(db.Database.GetMigrations(), Has.Some.EndsWith("_StepPolicyRerunsIdempotency"));
    }

    [TestCase("SELECT * FROM OrchRuns WHERE Namespace = 'ns' ORDER BY CreatedAt DESC, Id DESC LIMIT 20")]
    [TestCase("SELECT * FROM OrchRuns WHERE Namespace = 'ns' ORDER BY CreatedAt DESC, Id DESC LIMIT 20 OFFSET 40")]
    [TestCase("SELECT COUNT(*) FROM OrchRuns WHERE Namespace = 'ns'")]
    [TestCase("SELECT * FROM OrchRuns WHERE Namespace = 'ns' AND Status IN (1, 3) ORDER BY CreatedAt DESC, Id DESC LIMIT 20")]
    [TestCase("SELECT * FROM OrchRuns WHERE Namespace = 'ns' AND CreatedAt >= '2023-01-01' AND CreatedAt <= '2023-02-01' ORDER BY CreatedAt DESC, Id DESC LIMIT 20")]
    [TestCase("SELECT COUNT(*) FROM OrchRuns WHERE Namespace = 'ns' AND Status = 1")]
    public async Task ListQuery_WhenExplained_SearchesAnIndexInsteadOfScanningTheTable(string sql)
    {
        var plan = await ExplainAsync(sql, []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Some.Match("^SEARCH OrchRuns USING (COVERING )?INDEX IX_OrchRuns_"), string.Join("\n", plan));
            Assert.That(plan, Has.None.Match("^SCAN (TABLE )?OrchRuns"), string.Join("\n", plan));
        }
    }

    [Test]
    public async Task ListQuery_WhenFilteredOnNamespaceOnly_NeedsNoSortStep()
    {
        var plan = await ExplainAsync("SELECT * FROM OrchRuns WHERE Namespace = 'ns' ORDER BY CreatedAt DESC, Id DESC LIMIT 20", []);

        Assert.That(plan, Has.None.Contains("TEMP B-TREE"), string.Join("\n", plan));
    }

    [Test]
    public async Task ReadModelList_WhenItsCommandsAreExplained_ScanNoTable()
    {
        var capture = new CommandCapture();
        var options = new DbContextOptionsBuilder<SqliteOrchRunDbContext>().UseSqlite(Database.ConnectionString()).AddInterceptors(capture).Options;
        var @namespace = TestData.NewNamespace();
        await using (var db = new SqliteOrchRunDbContext(options))
        {
            var orchestrator = TestData.Orchestrator(@namespace);
            db.OrchRuns.Add(TestData.Run(orchestrator, TestData.Start));
            await db.SaveChangesAsync();
            capture.Commands.Clear();

            var readModel = new OrchRunReadModel(db);
            await readModel.ListAsync(new OrchRunListFilter(@namespace, 0, 20, [], null, null), CancellationToken.None);
            await readModel.ListAsync(new OrchRunListFilter(@namespace, 0, 20, [OrchRunStatus.Queued, OrchRunStatus.Running], TestData.Start.AddDays(-1), TestData.Start.AddDays(1)), CancellationToken.None);
        }

        Assert.That(capture.Commands, Has.Count.GreaterThanOrEqualTo(4), "count, page and steps of each list");
        using (Assert.EnterMultipleScope())
        {
            foreach (var command in capture.Commands)
            {
                var plan = await ExplainAsync(command.Text, command.Parameters);
                var tableAliases = TableAlias().Matches(command.Text).Select(m => m.Groups["alias"].Value).ToHashSet();
                var scans = plan.Where(line => line.StartsWith("SCAN ", StringComparison.Ordinal) && tableAliases.Contains(line.Split(' ')[1])).ToList();
                Assert.That(scans, Is.Empty, $"{command.Text}\n--\n{string.Join("\n", plan)}");
            }
        }
    }

    [Test]
    public async Task SqliteReadModel_WhenEveryStatementIsExplained_ScansNoTable()
    {
        var texts = SqliteOrchRunSql.All().ToList();

        Assert.That(texts, Has.Count.GreaterThan(50), "every status count and date-bound shape, and the find");
        using (Assert.EnterMultipleScope())
        {
            foreach (var text in texts)
            {
                var parameters = ParameterName().Matches(text).Select(m => m.Value).Distinct().Select(name => (name, (object?)ExampleValue(name))).ToList();
                var plan = await ExplainAsync(text, parameters);
                var tableAliases = TableAlias().Matches(text).Select(m => m.Groups["alias"].Value).Append("OrchRunStatusCounts").ToHashSet();
                var scans = plan.Where(line => line.StartsWith("SCAN ", StringComparison.Ordinal) && tableAliases.Contains(line.Split(' ')[1])).ToList();
                Assert.That(scans, Is.Empty, $"{text}\n--\n{string.Join("\n", plan)}");
                Assert.That(plan, Has.Some.StartsWith("SEARCH "), $"{text}\n--\n{string.Join("\n", plan)}");
            }
        }
    }

    private static object ExampleValue(string parameterName) => parameterName switch
    {
        SqliteOrchRunSql.Id or SqliteOrchRunSql.OrchestratorId => Guid.NewGuid().ToString("D").ToUpperInvariant(),
        SqliteOrchRunSql.Namespace => "ns",
        SqliteOrchRunSql.CreatedFrom => TestData.Start.UtcDateTime,
        SqliteOrchRunSql.CreatedUntil => TestData.Start.AddDays(1).UtcDateTime,
        SqliteOrchRunSql.Take => 20,
        SqliteOrchRunSql.Skip => 40,
        _ when parameterName.StartsWith("$status", StringComparison.Ordinal) => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(parameterName), parameterName, "no example value"),
    };

    private async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var connection = Database.OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>The <c>detail</c> column of EXPLAIN QUERY PLAN, one entry per plan node.</summary>
    private async Task<List<string>> ExplainAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var connection = Database.OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    // EF Core writes FROM "OrchRuns" AS "o" and JOIN "OrchRunSteps" AS "o0".
    [GeneratedRegex("\"(?<table>OrchRuns|OrchRunSteps)\" AS \"(?<alias>\\w+)\"")]
    private static partial Regex TableAlias();

    [GeneratedRegex("\\$\\w+")]
    private static partial Regex ParameterName();

    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<(string Text, IReadOnlyList<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
