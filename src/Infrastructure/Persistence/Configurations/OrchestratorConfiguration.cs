using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class OrchestratorConfiguration : IEntityTypeConfiguration<Orchestrator>
{
    public void Configure(EntityTypeBuilder<Orchestrator> builder)
    {
        builder.ToTable("Orchestrators");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(Orchestrator.MaxNameLength).IsRequired();
        builder.Property(o => o.Description).HasMaxLength(Orchestrator.MaxDescriptionLength).IsRequired();
        builder.Property(o => o.Namespace).HasMaxLength(64).IsRequired();
        builder.Property(o => o.UserType).HasMaxLength(Orchestrator.MaxUserTypeLength).IsRequired();

        builder.HasMany(o => o.Steps).WithOne().HasForeignKey(s => s.OrchestratorId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Steps).HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.HasIndex(o => new { o.Namespace, o.CreatedAt, o.Id }).IsDescending(false, true, true);
    }
}
