using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class OrchestratorStepConfiguration : IEntityTypeConfiguration<OrchestratorStep>
{
    public void Configure(EntityTypeBuilder<OrchestratorStep> builder)
    {
        builder.ToTable("OrchestratorSteps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(Orchestrator.MaxNameLength).IsRequired();
        builder.ComplexProperty(s => s.Policy);
        builder.Property(s => s.Params).IsRequired();
    }
}
