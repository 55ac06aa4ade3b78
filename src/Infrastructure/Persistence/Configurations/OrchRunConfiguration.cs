using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class OrchRunConfiguration : IEntityTypeConfiguration<OrchRun>
{
    public void Configure(EntityTypeBuilder<OrchRun> builder)
    {
        builder.ToTable("OrchRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Name).HasMaxLength(Orchestrator.MaxNameLength).IsRequired();
        builder.Property(r => r.Description).HasMaxLength(Orchestrator.MaxDescriptionLength).IsRequired();
        builder.Property(r => r.Namespace).HasMaxLength(64).IsRequired();
        builder.Property(r => r.UserType).HasMaxLength(Orchestrator.MaxUserTypeLength).IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(OrchRun.MaxCreatedByLength).IsRequired();
        builder.Property(r => r.Result).IsRequired();
        builder.Property(r => r.NodeId).HasMaxLength(100);
        builder.Property<int>(OrchRunDbContext.VersionProperty).IsConcurrencyToken();

        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Steps).HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);

        // The list: a namespace's runs newest first, optionally of some statuses.
        builder.HasIndex(r => new { r.Namespace, r.CreatedAt, r.Id }).IsDescending(false, true, true);
        builder.HasIndex(r => new { r.Namespace, r.Status, r.CreatedAt });

        // The worker: the oldest queued run, and expired leases.
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.Status, r.LeaseExpiresAt });

        // Schedules: a schedule's active runs (overlap policy).
        builder.HasIndex(r => new { r.ScheduleId, r.Status });
    }
}
