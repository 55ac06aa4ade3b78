using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.ToTable("Schedules");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Namespace).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Cron).HasMaxLength(ScheduleCron.MaxExpressionLength).IsRequired();
        builder.Property(s => s.TimeZone).HasMaxLength(ScheduleCron.MaxTimeZoneLength).IsRequired();
        builder.Property(s => s.CreatedBy).HasMaxLength(OrchRun.MaxCreatedByLength).IsRequired();
        builder.Property(s => s.ActualParams)
            .HasConversion(new ActualParamsConverter(), ActualParamsConverter.Comparer)
            .UsePropertyAccessMode(PropertyAccessMode.Property)
            .IsRequired();
        builder.Property(s => s.Revision).IsConcurrencyToken();

        builder.HasMany<ScheduleFire>().WithOne().HasForeignKey(f => f.ScheduleId).OnDelete(DeleteBehavior.Cascade);

        // The list, newest first; the firing scan, earliest due slot first.
        builder.HasIndex(s => new { s.Namespace, s.CreatedAt, s.Id }).IsDescending(false, true, true);
        builder.HasIndex(s => s.NextFireAt);
    }
}
