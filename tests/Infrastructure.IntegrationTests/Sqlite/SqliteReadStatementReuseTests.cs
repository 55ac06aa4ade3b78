using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.ReadModels;
using SQLitePCL;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>
/// The read model keeps its statements prepared, which only pays if SQLite does not compile them
/// again: a statement whose plan looked at a bound value (a LIMIT, for one) is expired by every
/// new binding and parsed again at its next step, on every request.
/// </summary>
public sealed class SqliteReadStatementReuseTests
{
    private const int ReprepareCounter = 5; // SQLITE_STMTSTATUS_REPREPARE

    private SqliteTestDatabase? _database;

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
    public void Statements_WhenBoundWithNewValues_AreNotCompiledAgain()
    {
        Assert.That(raw.sqlite3_open_v2(_database!.Path, out var db, raw.SQLITE_OPEN_READONLY, null), Is.EqualTo(raw.SQLITE_OK));
        using (db)
        {
            var recompiled = new List<string>();
            foreach (var sql in SqliteOrchRunSql.All().Distinct(StringComparer.Ordinal))
            {
                Assert.That(raw.sqlite3_prepare_v2(db, sql, out var statement), Is.EqualTo(raw.SQLITE_OK), sql);
                using (statement)
                {
                    for (var round = 0; round < 3; round++)
                    {
                        BindAll(statement, round);
                        while (raw.sqlite3_step(statement) == raw.SQLITE_ROW)
                        {
                        }

                        raw.sqlite3_reset(statement);
                    }

                    if (raw.sqlite3_stmt_status(statement, ReprepareCounter, 0) > 0)
                    {
                        recompiled.Add(sql);
                    }
                }
            }

            Assert.That(recompiled.Count, Is.Zero, $"compiled again after new bindings, e.g.: {recompiled.FirstOrDefault()}");
        }
    }

    // Different values in each round, as different requests bind them.
    private static void BindAll(sqlite3_stmt statement, int round)
    {
        for (var i = 1; i <= raw.sqlite3_bind_parameter_count(statement); i++)
        {
            var name = raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string();
            var rc = name switch
            {
                SqliteOrchRunSql.Namespace => raw.sqlite3_bind_text(statement, i, $"ns_{round}"),
                SqliteOrchRunSql.Take => raw.sqlite3_bind_int(statement, i, 20 + round),
                SqliteOrchRunSql.Skip => raw.sqlite3_bind_int(statement, i, 10 * round),
                SqliteOrchRunSql.CreatedFrom or SqliteOrchRunSql.CreatedUntil =>
                    raw.sqlite3_bind_text(statement, i, new DateTime(2026, 1, 1 + round, 0, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)),
                SqliteOrchRunSql.Id or SqliteOrchRunSql.OrchestratorId => raw.sqlite3_bind_text(statement, i, Guid.NewGuid().ToString("D").ToUpperInvariant()),
                _ when name.StartsWith("$status", StringComparison.Ordinal) => raw.sqlite3_bind_int(statement, i, (round + i) % 7),
                _ => throw new AssertionException($"unexpected parameter {name}"),
            };
            Assert.That(rc, Is.EqualTo(raw.SQLITE_OK), name);
        }
    }
}
