using Microsoft.Data.Sqlite;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>
/// Rows of <see cref="SqliteOrchRunSql"/> (a run's columns, then one step's) straight into the
/// wire DTOs, converting the stored values exactly as EF's model and <see cref="OrchRunMapper"/> do
/// together: GUIDs as upper-case text, times as UTC date-time text shown as epoch milliseconds,
/// statuses as their integer codes, parameters as the stored JSON text.
/// </summary>
internal static class OrchRunRowReader
{
    private const int StepColumnsStart = 14;

    /// <summary>Every run of the rows with its steps, in the order the rows give them (one run's rows are adjacent).</summary>
    public static List<OrchRunDto> ReadRuns(SqliteDataReader reader)
    {
        var runs = new List<OrchRunDto>();
        List<OrchRunStepDto>? steps = null;
        var current = Guid.Empty;
        while (reader.Read())
        {
            var id = reader.GetGuid(0);
            if (steps is null || id != current)
            {
                steps = [];
                current = id;
                runs.Add(ReadRun(reader, id, steps));
            }

            if (!reader.IsDBNull(StepColumnsStart))
            {
                steps.Add(ReadStep(reader, id));
            }
        }

        return runs;
    }

    private static OrchRunDto ReadRun(SqliteDataReader reader, Guid id, List<OrchRunStepDto> steps) => new()
    {
        Id = id,
        OrchestratorId = reader.GetGuid(1),
        Name = reader.GetString(2),
        Description = reader.GetString(3),
        Namespaces = [reader.GetString(4)],
        UserType = reader.GetString(5),
        CreatedBy = reader.GetString(6),
        CreatedAt = WireFormat.ToEpochMilliseconds(ReadTime(reader, 7)),
        UpdatedAt = reader.IsDBNull(8) ? null : WireFormat.ToEpochMilliseconds(ReadTime(reader, 8)),
        Status = (OrchRunStatus)reader.GetInt32(9),
        Result = reader.GetString(10),
        RerunOfId = reader.IsDBNull(11) ? null : reader.GetGuid(11),
        ScheduleId = reader.IsDBNull(12) ? null : reader.GetGuid(12),
        ScheduledFor = reader.IsDBNull(13) ? null : WireFormat.ToEpochMilliseconds(ReadTime(reader, 13)),
        Steps = steps,
    };

    private static OrchRunStepDto ReadStep(SqliteDataReader reader, Guid runId) => new()
    {
        Id = reader.GetGuid(StepColumnsStart),
        OrchestratorStepId = reader.GetGuid(StepColumnsStart + 1),
        Name = reader.GetString(StepColumnsStart + 2),
        ComponentId = reader.GetGuid(StepColumnsStart + 3),
        RunId = runId,
        ActualParams = reader.GetString(StepColumnsStart + 4),
        SequenceNo = reader.GetInt32(StepColumnsStart + 5),
        RunParams = reader.GetString(StepColumnsStart + 6),
        Status = (OrchRunStepStatus)reader.GetInt32(StepColumnsStart + 7),
        StatusMessage = reader.GetString(StepColumnsStart + 8),
        StartedAt = reader.IsDBNull(StepColumnsStart + 9) ? null : WireFormat.ToEpochMilliseconds(ReadTime(reader, StepColumnsStart + 9)),
        FinishedAt = reader.IsDBNull(StepColumnsStart + 10) ? null : WireFormat.ToEpochMilliseconds(ReadTime(reader, StepColumnsStart + 10)),
    };

    // What UtcDateTimeConverter reads back: the stored UTC date-time, as an offset of zero.
    private static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
