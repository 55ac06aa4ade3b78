using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.IntegrationTests.Sqlite;

/// <summary>
/// SQLite's lock waits block pool threads, so the SQLite set-up reserves threads for them (the
/// database-locked fault test in Api.ReliabilityTests shows the 503 timing this protects).
/// </summary>
[NonParallelizable]
public sealed class SqliteThreadPoolReserveTests
{
    private int _workers;
    private int _completionPorts;

    [SetUp]
    public void Remember() => ThreadPool.GetMinThreads(out _workers, out _completionPorts);

    [TearDown]
    public void Restore() => ThreadPool.SetMinThreads(_workers, _completionPorts);

    [Test]
    public async Task Start_RaisesTheMinimumWorkerThreads_AndKeepsTheIoThreads()
    {
        var reserve = new SqliteThreadPoolReserve(_workers + 7, NullLogger<SqliteThreadPoolReserve>.Instance);

        await reserve.StartAsync(CancellationToken.None);

        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        Assert.Multiple(() =>
        {
            Assert.That(workers, Is.EqualTo(_workers + 7));
            Assert.That(completionPorts, Is.EqualTo(_completionPorts));
        });
    }

    [Test]
    public async Task Start_NeverLowersAMinimumThatIsAlreadyHigher()
    {
        var reserve = new SqliteThreadPoolReserve(1, NullLogger<SqliteThreadPoolReserve>.Instance);

        await reserve.StartAsync(CancellationToken.None);

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.That(workers, Is.EqualTo(_workers));
    }

    [Test]
    public void EffectiveMinWorkerThreads_WhenAutomatic_CoversEveryWorkerSlotAndGrowsWithThem()
    {
        var automatic = new DatabaseOptions();

        Assert.Multiple(() =>
        {
            Assert.That(automatic.EffectiveMinWorkerThreads(8), Is.GreaterThanOrEqualTo(2 * 8));
            Assert.That(automatic.EffectiveMinWorkerThreads(32), Is.GreaterThan(automatic.EffectiveMinWorkerThreads(8)));
        });
    }

    [Test]
    public void EffectiveMinWorkerThreads_WhenConfigured_IsTheConfiguredValue() =>
        Assert.That(new DatabaseOptions { MinWorkerThreads = 7 }.EffectiveMinWorkerThreads(8), Is.EqualTo(7));

    [Test]
    public void SqliteSetup_RegistersTheReserve_SqlServerDoesNot()
    {
        static bool HasReserve(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetTempPath());
            return services.Any(d => d.ServiceType == typeof(IHostedService)
                                     && d.ImplementationFactory?.Method.ReturnType == typeof(SqliteThreadPoolReserve));
        }

        Assert.Multiple(() =>
        {
            Assert.That(HasReserve(new() { ["Database:Provider"] = "Sqlite" }), Is.True);
            Assert.That(HasReserve(new() { ["Database:Provider"] = "SqlServer", ["ConnectionStrings:OrchRun"] = "Server=none;Database=orchrun" }), Is.False);
        });
    }

    [Test]
    public async Task ConfiguredMinimum_IsTheOneApplied()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:MinWorkerThreads"] = (_workers + 11).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddInfrastructure(configuration, Path.GetTempPath()).BuildServiceProvider();

        await provider.GetServices<IHostedService>().OfType<SqliteThreadPoolReserve>().Single().StartAsync(CancellationToken.None);

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.That(workers, Is.EqualTo(_workers + 11));
    }
}
