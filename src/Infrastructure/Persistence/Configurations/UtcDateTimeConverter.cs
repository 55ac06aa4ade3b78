using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class UtcDateTimeConverter : ValueConverter<DateTimeOffset, DateTime>
{
    public UtcDateTimeConverter()
        : base(v => v.UtcDateTime, v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)))
    {
    }
}
