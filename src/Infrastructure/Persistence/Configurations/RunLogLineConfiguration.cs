using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class RunLogLineConfiguration : IEntityTypeConfiguration<RunLogLine>
{
    public void Configure(EntityTypeBuilder<RunLogLine> builder)
    {
        builder.ToTable("OrchRunLogLines");

        // The key is also the read order: a run's lines by sequence.
        builder.HasKey(l => new { l.RunId, l.Sequence });
        builder.Property(l => l.Sequence).ValueGeneratedNever();
        builder.Property(l => l.Message).IsRequired();

        // Deleting a run deletes its log in the database, and a worker that still writes lines
        // for a deleted run is refused by the key instead of leaving orphans.
        builder.HasOne<OrchRun>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
