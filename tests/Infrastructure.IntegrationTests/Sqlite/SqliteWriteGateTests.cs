using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrchRunService.Application.Common.Exceptions;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>The in-process queue of SQLite write transactions, on a real file.</summary>
public sealed class SqliteWriteGateTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task Migrate() => _database = await SqliteTestDatabase.CreateMigratedAsync();

    [TearDown]
    public async Task Delete() => await _database.DisposeAsync();

    [Test]
    public async Task ASecondWriter_WaitsForTheFirst_AndStartsAsSoonAsItCommits()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        await using var first = Context(gate);
        await using var second = Context(gate);
        await using var held = await first.Database.BeginTransactionAsync();

        var waiting = second.Database.BeginTransactionAsync();
        await Task.Delay(200);
        Assert.That(waiting.IsCompleted, Is.False, "the second writer queues in the process, not in SQLite");

        var released = Stopwatch.StartNew();
        await held.CommitAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(released.ElapsedMilliseconds, Is.LessThan(1000), "woken by the commit, not by a timeout");
        await next.CommitAsync();
    }

    [Test]
    public async Task AWriterThatWaitsPastTheTimeout_GetsDatabaseBusy_WhichTheServiceAnswers503()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));
        await using var first = Context(gate);
        await using var second = Context(gate);
        await using var held = await first.Database.BeginTransactionAsync();

        var error = await Assert.ThrowsAsync<DatabaseBusyException>(() => second.Database.BeginTransactionAsync());

        Assert.That(error!.Message, Does.Contain("no write turn"));
    }

    [Test]
    public async Task RolledBackAndDisposedTransactions_AndSaveChanges_HandTheTurnOn()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        await using var db = Context(gate);

        await (await db.Database.BeginTransactionAsync()).RollbackAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            // Disposed without commit or rollback, as when an exception leaves the block.
        }

        db.Orchestrators.Add(TestData.Orchestrator("gate"));
        await db.SaveChangesAsync();

        await using var other = Context(gate);
        var clock = Stopwatch.StartNew();
        await using var last = await other.Database.BeginTransactionAsync();
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(1000), "every earlier transaction gave its turn back");
    }

    [Test]
    public async Task ATransactionDisposedWhileItsConnectionStaysOpen_HandsTheTurnOn()
    {
        // No interceptor event and no connection closing tell the gate about this transaction's end:
        // the connection was opened by its user, so EF leaves it open after the driver's rollback.
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        await using var db = Context(gate);
        await db.Database.OpenConnectionAsync();
        await using (await db.Database.BeginTransactionAsync())
        {
            // Disposed without commit or rollback, as when an exception leaves the block.
        }

        await using var other = Context(gate);
        var clock = Stopwatch.StartNew();
        await using var next = await other.Database.BeginTransactionAsync();
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(1000), "the ended transaction's turn was taken back, not waited out");
        await next.CommitAsync();
        await db.Database.CloseConnectionAsync();
    }

    [Test]
    public async Task ABeginThatSqliteRefuses_GivesTheTurnBack()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        using var foreign = _database.OpenConnection();
        using (var lockCommand = foreign.CreateCommand())
        {
            lockCommand.CommandText = "BEGIN EXCLUSIVE;";
            lockCommand.ExecuteNonQuery();
        }

        await using var db = Context(gate, defaultTimeoutSeconds: 1);
        await Assert.ThrowsAsync<DatabaseBusyException>(() => db.Database.BeginTransactionAsync());
        using (var unlock = foreign.CreateCommand())
        {
            unlock.CommandText = "ROLLBACK;";
            unlock.ExecuteNonQuery();
        }

        await using var other = Context(gate);
        var clock = Stopwatch.StartNew();
        await using var next = await other.Database.BeginTransactionAsync();
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(1000));
    }

    [Test]
    public async Task WritersQueuedBehindARefusedBegin_FailAtOnce_LaterWritersTryAgain()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        using var foreign = _database.OpenConnection();
        using (var lockCommand = foreign.CreateCommand())
        {
            lockCommand.CommandText = "BEGIN EXCLUSIVE;";
            lockCommand.ExecuteNonQuery();
        }

        await using var first = Context(gate, defaultTimeoutSeconds: 1);
        await using var queued = Context(gate, defaultTimeoutSeconds: 1);
        await using var queuedToo = Context(gate, defaultTimeoutSeconds: 1);
        var refused = first.Database.BeginTransactionAsync();
        await Task.Delay(200);
        var behind = queued.Database.BeginTransactionAsync();
        var behindToo = queuedToo.Database.BeginTransactionAsync();

        await Assert.ThrowsAsync<DatabaseBusyException>(() => refused);
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<DatabaseBusyException>(() => behind);
        await Assert.ThrowsAsync<DatabaseBusyException>(() => behindToo);
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(500), "queued behind the refusal: failed without a second wait");

        using (var unlock = foreign.CreateCommand())
        {
            unlock.CommandText = "ROLLBACK;";
            unlock.ExecuteNonQuery();
        }

        await using var later = Context(gate);
        await using var next = await later.Database.BeginTransactionAsync();
        Assert.That(next, Is.Not.Null, "a writer that queues after the refusal tries SQLite again");
    }

    private SqliteOrchRunDbContext Context(SqliteWriteGate gate, int defaultTimeoutSeconds = 30) =>
        new(new DbContextOptionsBuilder<SqliteOrchRunDbContext>()
            .UseSqlite(_database.ConnectionString(defaultTimeoutSeconds))
            .AddInterceptors(gate)
            .Options);
}
