using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Nodes;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Limits;

/// <summary>
/// A page of the largest runs the limits allow, at the largest page size, has a known largest
/// size, and answering it allocates a bounded multiple of that size. Measured in bytes (the answer
/// and the GC's allocation count), not time. The params limit is lowered to 8 KiB so that the
/// 1000 runs of 100 steps are quick to create; the bound scales with it (docs/security.md).
/// </summary>
[NonParallelizable] // GC.GetTotalAllocatedBytes counts the whole process: no other fixture may run meanwhile.
public sealed class ListPageMemoryBudgetTests
{
    private const int MaxParamsBytes = 8 * 1024;
    private const int MaxSteps = 100;
    private const int MaxPageSize = 1000;

    /// <summary>What answering may allocate per byte of the answer (UTF-16 strings, DTOs, the JSON writer, the test server's copy); measured 2.1.</summary>
    private const double AllocatedBytesPerAnswerByte = 4;

    private OrchRunApiFactory? _factory;

    [OneTimeSetUp]
    public void StartApi() => _factory = new OrchRunApiFactory(new Dictionary<string, string?>
    {
        ["Runs:MaxParamsBytes"] = MaxParamsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orchestrators:MaxSteps"] = MaxSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Runs:MaxQueuedPerNamespace"] = "2000",
    });

    [OneTimeTearDown]
    public async Task StopApi()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    public async Task List_WhenAPageHoldsTheLargestAllowedRuns_StaysWithinItsSizeAndAllocationBudget()
    {
        using var api = _factory!.CreateApiClient();

        // The largest run: the most steps, and parameters that fill the limit as stored (defaults empty,
        // so each step stores its actual params twice).
        var orchestrator = await api.CreateOrchestratorAsync(stepCount: MaxSteps, stepParams: new JsonObject());
        var orchestratorId = OrchRunApiClient.IdOf(orchestrator);
        var perStep = MaxParamsBytes / MaxSteps / 2;
        var actual = new JsonArray(orchestrator["steps"]!.AsArray()
            .Select(s => (JsonNode)new JsonObject { ["sequence_type_id"] = OrchRunApiClient.IdOf(s!), ["params"] = SizeLimitTests.Padding(perStep) })
            .ToArray());

        var firstStepBytes = perStep + ((MaxParamsBytes - (perStep * MaxSteps * 2)) / 2);
        actual[0]!["params"] = SizeLimitTests.Padding(firstStepBytes);

        // One byte more (stored twice) is refused: these are the largest runs the service stores.
        var oneByteMore = (JsonArray)actual.DeepClone();
        oneByteMore[0]!["params"] = SizeLimitTests.Padding(firstStepBytes + 1);
        using (var refused = await api.PostRunAsync(orchestratorId, oneByteMore))
        {
            await ProblemAssert.IsValidationProblemAsync(refused, "_actualparams");
        }

        var first = await api.CreateRunAsync(orchestratorId, actual);
        var largestRunBytes = System.Text.Encoding.UTF8.GetByteCount(first.ToJsonString());
        await CopyRunAsync(OrchRunApiClient.IdOf(first), MaxPageSize - 1);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await api.Http.GetAsync(api.Url(OrchRunApiClient.RunsPath, $"_pageSize={MaxPageSize}"), HttpCompletionOption.ResponseHeadersRead);
        var answerBytes = await CountBytesAsync(response);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var answerBound = (long)MaxPageSize * (largestRunBytes + 1) + 1024;
        TestContext.Out.WriteLine($"largest run {largestRunBytes} B; page {answerBytes} B (bound {answerBound} B); allocated {allocated} B ({(double)allocated / answerBytes:F1} per answer byte)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answerBytes, Is.GreaterThan((long)MaxPageSize * largestRunBytes * 9 / 10), "the page holds the largest runs");
            Assert.That(answerBytes, Is.LessThanOrEqualTo(answerBound));
            Assert.That(allocated, Is.LessThanOrEqualTo((long)(answerBound * AllocatedBytesPerAnswerByte)));
        }
    }

    /// <summary>Copies of a run (same steps and params, new ids) straight into the database: 999 creates over HTTP would only slow the test.</summary>
    private Task CopyRunAsync(string runId, int copies) => _factory!.WithDbAsync(async db =>
    {
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var runColumns = await ColumnsAsync(connection, "OrchRuns");
        var stepColumns = await ColumnsAsync(connection, "OrchRunSteps");
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync();
        await using var copyRun = connection.CreateCommand();
        copyRun.Transaction = transaction;
        copyRun.CommandText = $"INSERT INTO OrchRuns ({string.Join(", ", runColumns)}) SELECT {string.Join(", ", runColumns.Select(c => c == "Id" ? "$new" : c))} FROM OrchRuns WHERE Id = $source";
        await using var copySteps = connection.CreateCommand();
        copySteps.Transaction = transaction;
        copySteps.CommandText = $"INSERT INTO OrchRunSteps ({string.Join(", ", stepColumns)}) SELECT {string.Join(", ", stepColumns.Select(c => c switch { "Id" => "upper(substr(hex(randomblob(4)),1,8) || '-' || substr(hex(randomblob(2)),1,4) || '-' || substr(hex(randomblob(2)),1,4) || '-' || substr(hex(randomblob(2)),1,4) || '-' || hex(randomblob(6)))", "RunId" => "$new", _ => c }))} FROM OrchRunSteps WHERE RunId = $source";
        var source = await ScalarAsync(connection, transaction, "SELECT Id FROM OrchRuns WHERE lower(Id) = lower($id)", runId);
        for (var i = 0; i < copies; i++)
        {
            var id = Guid.NewGuid().ToString().ToUpperInvariant();
            foreach (var command in new[] { copyRun, copySteps })
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$new", id);
                command.Parameters.AddWithValue("$source", source);
                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    });

    private static async Task<List<string>> ColumnsAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task<object> ScalarAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string sql, string id)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"Run {id} is not in the database.");
    }

    private static async Task<long> CountBytesAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
