using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Postgres;

/// <summary>A PostgreSQL server that cannot be reached is "busy, retry shortly" (503), not a fault of the service (500).</summary>
public sealed class PostgresUnavailableTests
{
    [Test]
    public async Task Query_WhenNothingListensOnTheServersPort_ThrowsDatabaseBusy()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var db = new PostgresOrchRunDbContext(new DbContextOptionsBuilder<PostgresOrchRunDbContext>()
            .UseNpgsql($"Host=127.0.0.1;Port={port};Username=postgres;Database=none;Timeout=3")
            .AddInterceptors(new DatabaseBusyTranslator())
            .Options);

        await Assert.ThatAsync(() => db.OrchRuns.CountAsync(), Throws.TypeOf<DatabaseBusyException>());
    }
}
