using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class ScheduleFireConfiguration : IEntityTypeConfiguration<ScheduleFire>
{
    public void Configure(EntityTypeBuilder<ScheduleFire> builder)
    {
        builder.ToTable("ScheduleFires");

        // One record per slot: a second node's insert of the same slot fails, with its run.
        builder.HasKey(f => new { f.ScheduleId, f.Slot });
        builder.Property(f => f.Reason).HasMaxLength(ScheduleFire.MaxReasonLength).IsRequired();
    }
}
