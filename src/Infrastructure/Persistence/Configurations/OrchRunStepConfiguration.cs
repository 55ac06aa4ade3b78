using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class OrchRunStepConfiguration : IEntityTypeConfiguration<OrchRunStep>
{
    public void Configure(EntityTypeBuilder<OrchRunStep> builder)
    {
        builder.ToTable("OrchRunSteps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(Orchestrator.MaxNameLength).IsRequired();
        builder.ComplexProperty(s => s.Policy);
        builder.Property(s => s.ActualParams).IsRequired();
        builder.Property(s => s.RunParams).IsRequired();
        builder.Property(s => s.StatusMessage).IsRequired();
        builder.Ignore(s => s.IsFinished);
        builder.HasIndex(s => new { s.RunId, s.SequenceNo });
    }
}
