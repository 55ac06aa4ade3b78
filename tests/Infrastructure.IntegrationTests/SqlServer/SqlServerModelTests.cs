using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Secrets;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.SqlServer;

/// <summary>No SQL Server here: the model and the migration script are checked without a server.</summary>
public sealed class SqlServerModelTests
{
    private const string DummyConnectionString = "Server=(none);Database=OrchRun;Trusted_Connection=True;TrustServerCertificate=True";

    private static SqlServerOrchRunDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerOrchRunDbContext>().UseSqlServer(DummyConnectionString).Options);

    [Test]
    public void Model_WhenBuilt_HasEveryEntityAndTheRunVersionToken()
    {
        using var context = CreateContext();

        var model = context.Model;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.GetEntityTypes().Select(e => e.GetTableName()), Is.EquivalentTo(new[]
            {
                "OrchRuns", "OrchRunSteps", "Orchestrators", "OrchestratorSteps", "OrchRunLogLines", "IdempotencyKeys", "Secrets", "DataProtectionKeys", "Schedules", "ScheduleFires", "ServiceLeases",
            }));
            Assert.That(model.FindEntityType(typeof(OrchRun))!.FindProperty(OrchRunDbContext.VersionProperty)!.IsConcurrencyToken, Is.True);
        }
    }

    [Test]
    public void Migrations_WhenComparedWithTheModel_HaveNoPendingChanges()
    {
        using var context = CreateContext();

        Assert.That(context.Database.HasPendingModelChanges(), Is.False, "run dotnet ef migrations add for SqlServerOrchRunDbContext");
    }

    [Test]
    public void IdempotentScript_WhenParsedAsTSql160_HasNoErrors()
    {
        var script = GenerateIdempotentScript();

        var fragment = Parse(script, out var errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty);
            Assert.That(fragment, Is.Not.Null);
            Assert.That(script, Does.Contain("\nGO"), "the script has batches");
            Assert.That(script, Does.Contain("IF NOT EXISTS"), "the script is idempotent");
        }
    }

    [Test]
    public void IdempotentScript_WhenParsed_CreatesEveryTableAndTheListIndexes()
    {
        var fragment = Parse(GenerateIdempotentScript(), out _);
        var collector = new SchemaCollector();

        fragment.Accept(collector);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(collector.Tables, Is.SupersetOf(new[] { "OrchRuns", "OrchRunSteps", "Orchestrators", "OrchestratorSteps", "OrchRunLogLines", "IdempotencyKeys", "Secrets", "DataProtectionKeys" }));
            Assert.That(collector.Indexes, Is.SupersetOf(new[]
            {
                "IX_OrchRuns_Namespace_CreatedAt_Id", "IX_OrchRuns_Namespace_Status_CreatedAt", "IX_OrchRuns_Status_CreatedAt",
                "IX_OrchRuns_Status_LeaseExpiresAt", "IX_OrchRunSteps_RunId_SequenceNo",
            }));
        }
    }

    [Test]
    public void NamespaceLockSql_WhenParsedAsTSql160_HasNoErrors()
    {
        Parse(SqlServerOrchRunDbContext.NamespaceLockSql, out var errors);

        Assert.That(errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}"), Is.Empty);
    }

    [TestCase(SqlServerOrchRunDbContext.ClaimCandidatesSql)]
    public void ClaimSql_WhenParsedAsTSql160_HasNoErrorsAndKeepsTheLockHints(string sql)
    {
        var fragment = Parse(sql, out var errors);

        var hints = new TableHintCollector();
        fragment.Accept(hints);
        var tops = new TopCollector();
        fragment.Accept(tops);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}"), Is.Empty);
            Assert.That(hints.Kinds, Is.EquivalentTo(new[] { TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock }));
            Assert.That(tops.Count, Is.EqualTo(1), "one TOP: a bounded claim");
        }
    }

    [Test]
    public void ClaimSql_WhenParsed_IsOneUpdateWithOutputOverATopCte()
    {
        var fragment = (TSqlScript)Parse(SqlServerOrchRunDbContext.ClaimCandidatesSql, out _);

        var statements = fragment.Batches.SelectMany(b => b.Statements).ToList();

        Assert.That(statements, Has.Count.EqualTo(1), "one statement: choosing and locking the rows is not split");
        var update = statements[0] as UpdateStatement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(update, Is.Not.Null, "an UPDATE, which holds each row exclusively as it is chosen");
            Assert.That(update?.WithCtesAndXmlNamespaces?.CommonTableExpressions, Has.Count.EqualTo(1));
            Assert.That(update?.UpdateSpecification.OutputClause, Is.Not.Null, "OUTPUT answers the claimed ids");
            Assert.That(
                (update?.WithCtesAndXmlNamespaces?.CommonTableExpressions[0].QueryExpression as QuerySpecification)?.TopRowFilter,
                Is.Not.Null,
                "the CTE takes TOP (@max)");
        }
    }

    [Test]
    public void Parser_WhenGivenBrokenTSql_ReportsErrors()
    {
        // The parser is the judge above; it must be able to say no.
        Parse("CREATE TABLE [x] ([a] int,, GO", out var errors);

        Assert.That(errors, Is.Not.Empty);
    }

    [TestCase(typeof(OrchRun), "Namespace")]
    [TestCase(typeof(Orchestrator), "Namespace")]
    [TestCase(typeof(IdempotencyRecord), "Namespace")]
    [TestCase(typeof(IdempotencyRecord), "UserId")]
    [TestCase(typeof(IdempotencyRecord), "Key")]
    [TestCase(typeof(Secret), "Namespace")]
    [TestCase(typeof(Secret), "Name")]
    [TestCase(typeof(Domain.Schedules.Schedule), "Namespace")]
    [TestCase(typeof(ServiceLease), "Name")]
    [TestCase(typeof(ServiceLease), "Holder")]
    public void Model_WhenBuilt_ComparesTenantColumnsByteByByte(Type entity, string property)
    {
        using var context = CreateContext();

        var column = context.GetService<IDesignTimeModel>().Model.FindEntityType(entity)!.FindProperty(property)!;

        Assert.That(column.GetCollation(), Is.EqualTo("Latin1_General_100_BIN2"));
    }

    [Test]
    public void IdempotentScript_WhenParsed_AltersTheTenantColumnsToTheBinaryCollation()
    {
        var fragment = Parse(GenerateIdempotentScript(), out _);
        var collector = new CollationCollector();

        fragment.Accept(collector);

        Assert.That(collector.BinaryColumns, Is.SupersetOf(new[]
        {
            "OrchRuns.Namespace", "Orchestrators.Namespace", "IdempotencyKeys.Namespace", "IdempotencyKeys.Key", "IdempotencyKeys.UserId",
            "Secrets.Namespace", "Secrets.Name",
            "Schedules.Namespace", "ServiceLeases.Name", "ServiceLeases.Holder",
        }));
    }

    [Test]
    public void Model_WhenBuilt_KeysIdempotencyRecordsByNamespaceUserAndKey()
    {
        using var context = CreateContext();

        var key = context.Model.FindEntityType(typeof(IdempotencyRecord))!.FindPrimaryKey()!;

        Assert.That(key.Properties.Select(p => p.Name), Is.EqualTo(new[] { "Namespace", "UserId", "Key" }));
    }

    private static readonly Lazy<string> IdempotentScript = new(() =>
    {
        using var context = CreateContext();
        return context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    });

    private static string GenerateIdempotentScript() => IdempotentScript.Value;

    private static TSqlFragment Parse(string sql, out IList<ParseError> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        return parser.Parse(reader, out errors);
    }

    private sealed class TableHintCollector : TSqlFragmentVisitor
    {
        public List<TableHintKind> Kinds { get; } = [];

        public override void ExplicitVisit(TableHint node)
        {
            Kinds.Add(node.HintKind);
            base.ExplicitVisit(node);
        }
    }

    private sealed class TopCollector : TSqlFragmentVisitor
    {
        public int Count { get; private set; }

        public override void ExplicitVisit(TopRowFilter node)
        {
            Count++;
            base.ExplicitVisit(node);
        }
    }

    private sealed class SchemaCollector : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];

        public List<string> Indexes { get; } = [];

        public override void Visit(CreateTableStatement node) => Tables.Add(node.SchemaObjectName.BaseIdentifier.Value);

        public override void Visit(CreateIndexStatement node) => Indexes.Add(node.Name.Value);
    }

    /// <summary>"Table.Column" of every column a CREATE TABLE, ALTER TABLE or ADD gives the binary collation.</summary>
    private sealed class CollationCollector : TSqlFragmentVisitor
    {
        public HashSet<string> BinaryColumns { get; } = [];

        public override void ExplicitVisit(CreateTableStatement node)
        {
            foreach (var column in node.Definition.ColumnDefinitions.Where(c => c.Collation?.Value == SqlServerOrchRunDbContext.BinaryCollation))
            {
                BinaryColumns.Add($"{node.SchemaObjectName.BaseIdentifier.Value}.{column.ColumnIdentifier.Value}");
            }

            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(AlterTableAlterColumnStatement node)
        {
            if (node.Collation?.Value == SqlServerOrchRunDbContext.BinaryCollation)
            {
                BinaryColumns.Add($"{node.SchemaObjectName.BaseIdentifier.Value}.{node.ColumnIdentifier.Value}");
            }

            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(AlterTableAddTableElementStatement node)
        {
            foreach (var column in node.Definition.ColumnDefinitions.Where(c => c.Collation?.Value == SqlServerOrchRunDbContext.BinaryCollation))
            {
                BinaryColumns.Add($"{node.SchemaObjectName.BaseIdentifier.Value}.{column.ColumnIdentifier.Value}");
            }

            base.ExplicitVisit(node);
        }
    }
}
