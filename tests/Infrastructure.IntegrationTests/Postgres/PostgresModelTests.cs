using Microsoft.EntityFrameworkCore;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Postgres;

/// <summary>The PostgreSQL model and migrations, checked without a server.</summary>
public sealed class PostgresModelTests
{
    [Test]
    public void Migrations_WhenComparedWithTheModel_HaveNoPendingChanges()
    {
        using var context = new PostgresOrchRunDbContextFactory().CreateDbContext([]);

        Assert.That(context.Database.HasPendingModelChanges(), Is.False, "run dotnet ef migrations add for PostgresOrchRunDbContext");
    }

    [Test]
    public void Migrations_WhenListed_IncludeTheKeptCountsAfterTheTables()
    {
        using var context = new PostgresOrchRunDbContextFactory().CreateDbContext([]);

        var names = context.Database.GetMigrations().Select(m => m[15..]).ToList();

        Assert.That(names.IndexOf("RunStatusCounts"), Is.GreaterThan(names.IndexOf("Initial")).And.GreaterThan(-1), string.Join(", ", names));
    }
}
