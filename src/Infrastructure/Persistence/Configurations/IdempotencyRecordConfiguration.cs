using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyKeys");
        // A key belongs to the user and namespace that sent it: another user's same key is another record.
        builder.HasKey(r => new { r.Namespace, r.UserId, r.Key });
        builder.Property(r => r.Namespace).HasMaxLength(64);
        builder.Property(r => r.UserId).HasMaxLength(Domain.OrchRuns.OrchRun.MaxCreatedByLength);
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();

        // Expired keys are purged by creation time.
        builder.HasIndex(r => r.CreatedAt);
    }
}
