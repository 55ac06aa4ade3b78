using Microsoft.Data.Sqlite;

namespace OrchRunService.Infrastructure.Persistence.ReadModels;

/// <summary>Sets a parameter of a kept command, reusing its parameter object from earlier uses.</summary>
internal static class SqliteCommandBinding
{
    public static void Bind(this SqliteCommand command, string name, object value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, value);
        }
        else
        {
            command.Parameters[index].Value = value;
        }
    }
}
