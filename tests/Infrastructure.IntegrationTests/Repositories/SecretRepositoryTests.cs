using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Domain.Secrets;
using OrchRunService.Infrastructure.IntegrationTests.Support;
using OrchRunService.Infrastructure.Persistence.Repositories;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>SecretRepository on a real, migrated SQLite file; every test works in a namespace of its own.</summary>
public sealed class SecretRepositoryTests
{
    private SqliteTestDatabase? _database;
    private string _namespace = string.Empty;

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

    [SetUp]
    public void NewNamespace() => _namespace = TestData.NewNamespace();

    [Test]
    public async Task FindAsync_WhenSavedAndReplaced_ReadsBackTheLatestValueAndBothTimes()
    {
        await SeedAsync(_namespace, "api-token", "p1");
        await using (var db = Database.CreateContext())
        {
            var repository = new SecretRepository(db);
            var secret = await repository.FindAsync(_namespace, "api-token", CancellationToken.None);
            secret!.Replace("p2", TestData.Start.AddMinutes(1));
            await repository.SaveChangesAsync(CancellationToken.None);
        }

        await using var check = Database.CreateContext();
        var found = await new SecretRepository(check).FindAsync(_namespace, "api-token", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found!.ProtectedValue, Is.EqualTo("p2"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.Start));
            Assert.That(found.UpdatedAt, Is.EqualTo(TestData.Start.AddMinutes(1)));
        }
    }

    [Test]
    public async Task FindAsync_WhenTheNameOrNamespaceDiffersOnlyInCase_FindsNothing()
    {
        await SeedAsync(_namespace, "Token", "p");

        await using var db = Database.CreateContext();
        var repository = new SecretRepository(db);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await repository.FindAsync(_namespace, "token", CancellationToken.None), Is.Null);
            Assert.That(await repository.FindAsync(_namespace.ToUpperInvariant(), "Token", CancellationToken.None), Is.Null);
            Assert.That(await repository.FindAsync(_namespace, "Token", CancellationToken.None), Is.Not.Null);
        }
    }

    [Test]
    public async Task ListAsync_WhenAPageIsAsked_ReturnsTheNamespacesSecretsByNameWithTheTotal()
    {
        foreach (var name in new[] { "c", "a", "b", "d" })
        {
            await SeedAsync(_namespace, name, "p");
        }

        await SeedAsync(TestData.NewNamespace(), "a", "other namespace");

        await using var db = Database.CreateContext();
        var page = await new SecretRepository(db).ListAsync(_namespace, 1, 2, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Total, Is.EqualTo(4));
            Assert.That(page.Items.Select(s => s.Name), Is.EqualTo(new[] { "b", "c" }));
        }
    }

    [Test]
    public async Task ReadAsync_WhenSomeNamesExist_ReturnsOnlyThoseOfTheNamespace()
    {
        await SeedAsync(_namespace, "a", "pa");
        await SeedAsync(TestData.NewNamespace(), "b", "elsewhere");

        await using var db = Database.CreateContext();
        var read = await new SecretRepository(db).ReadAsync(_namespace, ["a", "b", "missing"], CancellationToken.None);

        Assert.That(read.Select(s => (s.Name, s.ProtectedValue)), Is.EqualTo(new[] { ("a", "pa") }));
    }

    [Test]
    public async Task SaveChangesAsync_WhenTheSameNameIsCreatedTwiceAtOnce_TheSecondIsAConflict()
    {
        await using var first = Database.CreateContext();
        await using var second = Database.CreateContext();
        var one = new SecretRepository(first);
        var other = new SecretRepository(second);
        one.Add(Secret.Create(_namespace, "dup", "p1", TestData.Start));
        other.Add(Secret.Create(_namespace, "dup", "p2", TestData.Start));

        await one.SaveChangesAsync(CancellationToken.None);

        Assert.That(() => other.SaveChangesAsync(CancellationToken.None), Throws.TypeOf<ConcurrencyConflictException>());
    }

    [Test]
    public async Task Remove_WhenSaved_DeletesOnlyThatSecret()
    {
        await SeedAsync(_namespace, "gone", "p");
        await SeedAsync(_namespace, "kept", "p");
        await using (var db = Database.CreateContext())
        {
            var repository = new SecretRepository(db);
            repository.Remove((await repository.FindAsync(_namespace, "gone", CancellationToken.None))!);
            await repository.SaveChangesAsync(CancellationToken.None);
        }

        await using var check = Database.CreateContext();
        var page = await new SecretRepository(check).ListAsync(_namespace, 0, 10, CancellationToken.None);

        Assert.That(page.Items.Select(s => s.Name), Is.EqualTo(new[] { "kept" }));
    }

    private async Task SeedAsync(string @namespace, string name, string protectedValue)
    {
        await using var db = Database.CreateContext();
        var repository = new SecretRepository(db);
        repository.Add(Secret.Create(@namespace, name, protectedValue, TestData.Start));
        await repository.SaveChangesAsync(CancellationToken.None);
    }
}
