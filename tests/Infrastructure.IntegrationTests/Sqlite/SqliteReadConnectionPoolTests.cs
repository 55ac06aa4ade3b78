using Microsoft.Data.Sqlite;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.ReadModels;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>The kept read-only connections of the SQLite read model, on a real file in WAL mode.</summary>
public sealed class SqliteReadConnectionPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private SqliteTestDatabase? _database;

    private SqliteTestDatabase Database => _database!;

    [OneTimeSetUp]
    public async Task Migrate()
    {
        _database = await SqliteTestDatabase.CreateMigratedAsync();
        await ExecuteAsync("PRAGMA journal_mode=WAL;");
    }

    [OneTimeTearDown]
    public async Task Delete()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task ReadAsync_WhenReadAgain_ReusesTheConnectionAndItsPreparedStatement()
    {
        using var pool = NewPool(maxConnections: 2);

        var first = await pool.ReadAsync(0, static (c, _) => (Connection: c, Command: c.Prepared("SELECT 1")), CancellationToken.None);
        var second = await pool.ReadAsync(0, static (c, _) => (Connection: c, Command: c.Prepared("SELECT 1"), c.PreparedCount), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Connection, Is.SameAs(first.Connection));
            Assert.That(second.Command, Is.SameAs(first.Command), "prepared once, kept");
            Assert.That(second.PreparedCount, Is.EqualTo(1));
            Assert.That(pool.OpenCount, Is.EqualTo(1), "opened lazily, one at a time");
        }
    }

    [Test]
    public async Task ReadAsync_WhenConnectionIsOpened_ItIsReadOnlyWithTheServiceBusyTimeout()
    {
        using var pool = NewPool(maxConnections: 1, busyTimeoutSeconds: 7);

        var busyTimeout = await pool.ReadAsync(0, static (c, _) => (long)c.Prepared("PRAGMA busy_timeout").ExecuteScalar()!, CancellationToken.None);
        var write = await Assert.ThrowsAsync<SqliteException>(async () =>
            await pool.ReadAsync(0, static (c, _) => c.Prepared("DELETE FROM \"OrchRuns\"").ExecuteNonQuery(), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(busyTimeout, Is.EqualTo(7000));
            Assert.That(write!.SqliteErrorCode, Is.EqualTo(8), "SQLITE_READONLY");
        }
    }

    [Test]
    public async Task ReadAsync_WhenTheReadThrows_DisposesThatConnectionAndTheNextReadGetsAFreshOne()
    {
        using var pool = NewPool(maxConnections: 1);
        var before = await pool.ReadAsync(0, static (c, _) => c, CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(async () =>
            await pool.ReadAsync(0, static (c, _) => c.Prepared("SELECT * FROM \"NoSuchTable\""), CancellationToken.None));
        var afterFailedPrepare = await pool.ReadAsync(0, static (c, _) => c, CancellationToken.None);

        // A reader abandoned mid-step (its statement still holding a read snapshot) must not be kept either.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.ReadAsync(0, static (c, _) => AbandonReaderMidStep(c), CancellationToken.None));
        await ExecuteAsync("CREATE TABLE IF NOT EXISTS \"Scratch\" (\"X\" INTEGER); INSERT INTO \"Scratch\" VALUES (1);");
        var checkpoint = await CheckpointAsync();
        var afterAbandonedReader = await pool.ReadAsync(0, static (c, _) => (Connection: c, Prepared: c.PreparedCount), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFailedPrepare, Is.Not.SameAs(before));
            Assert.That(afterAbandonedReader.Connection, Is.Not.SameAs(afterFailedPrepare));
            Assert.That(afterAbandonedReader.Prepared, Is.Zero, "a new connection starts with no statements");
            Assert.That(checkpoint.Busy, Is.Zero, "no snapshot is held by the discarded connection");
            Assert.That(pool.OpenCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ReadAsync_AfterReads_HoldsNoSnapshotSoCheckpointsComplete()
    {
        using var pool = NewPool(maxConnections: 2);
        await pool.ReadAsync(0, static (c, _) => ReadAll(c, "SELECT \"Id\" FROM \"OrchRuns\""), CancellationToken.None);
        await ExecuteAsync("CREATE TABLE IF NOT EXISTS \"Scratch\" (\"X\" INTEGER); INSERT INTO \"Scratch\" VALUES (2);");

        var checkpoint = await CheckpointAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkpoint.Busy, Is.Zero, "a kept statement is reset after its read");
            Assert.That(pool.OpenCount, Is.EqualTo(1), "the connection stays open");
        }
    }

    [Test]
    public async Task ReadAsync_WhenRentedConcurrently_GivesEachRenterItsOwnConnectionAndQueuesBeyondTheCap()
    {
        using var pool = NewPool(maxConnections: 3);
        using var entered = new CountdownEvent(3);
        using var release = new ManualResetEventSlim();
        var holders = Enumerable.Range(0, 3).Select(_ => Task.Run(async () => await pool.ReadAsync(0, (c, _) =>
        {
            entered.Signal();
            release.Wait(Patience);
            return c;
        }, CancellationToken.None))).ToList();
        Assert.That(entered.Wait(Patience), Is.True, "three renters hold a connection at once");

        var fourth = Task.Run(async () => await pool.ReadAsync(0, static (c, _) => c, CancellationToken.None));
        var fourthWaited = !fourth.Wait(TimeSpan.FromMilliseconds(200));
        release.Set();
        var held = await Task.WhenAll(holders);
        var afterwards = await fourth;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(held.Distinct().Count(), Is.EqualTo(3), "distinct connections");
            Assert.That(fourthWaited, Is.True, "a fourth renter waits for a connection to come back");
            Assert.That(held, Does.Contain(afterwards), "and then gets one of them");
            Assert.That(pool.OpenCount, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task ReadAsync_WhenCancelledBeforeTheRead_DoesNotRunIt()
    {
        using var pool = NewPool(maxConnections: 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = false;

        await Assert.CatchAsync<OperationCanceledException>(async () => await pool.ReadAsync(0, (_, _) => ran = true, cancelled.Token));
        var next = await pool.ReadAsync(0, static (_, _) => true, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ran, Is.False);
            Assert.That(next, Is.True, "the slot was given back");
        }
    }

    [Test]
    public async Task Dispose_ClosesIdleConnectionsAndTheOneStillRentedWhenItComesBack()
    {
        var pool = NewPool(maxConnections: 2);
        using var rented = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(async () => await pool.ReadAsync(0, (c, _) =>
        {
            rented.Set();
            release.Wait(Patience);
            return c;
        }, CancellationToken.None));
        Assert.That(rented.Wait(Patience), Is.True);
        await pool.ReadAsync(0, static (c, _) => c, CancellationToken.None); // a second connection, idle afterwards
        var openWhileRented = pool.OpenCount;

        pool.Dispose();
        var openAfterDispose = pool.OpenCount;
        release.Set();
        await holder;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(openWhileRented, Is.EqualTo(2));
            Assert.That(openAfterDispose, Is.EqualTo(1), "the idle one is closed at once");
            Assert.That(pool.OpenCount, Is.Zero, "the rented one is closed on return");
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.ReadAsync(0, static (c, _) => c, CancellationToken.None));
        }
    }

    private static int AbandonReaderMidStep(SqliteReadConnection connection)
    {
        var reader = connection.Prepared("SELECT 1 UNION ALL SELECT 2").ExecuteReader();
        reader.Read();
        throw new InvalidOperationException("the read failed half-way");
    }

    private static int ReadAll(SqliteReadConnection connection, string sql)
    {
        using var reader = connection.Prepared(sql).ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    private SqliteReadConnectionPool NewPool(int maxConnections, int busyTimeoutSeconds = 30) =>
        new(Database.ConnectionString(), busyTimeoutSeconds, maxConnections);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = Database.OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>PRAGMA wal_checkpoint(TRUNCATE): Busy is 1 when a reader's snapshot kept it from finishing.</summary>
    private async Task<(long Busy, long Log, long Checkpointed)> CheckpointAsync()
    {
        await using var connection = Database.OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
