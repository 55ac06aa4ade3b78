using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class ServiceLeaseConfiguration : IEntityTypeConfiguration<ServiceLease>
{
    public void Configure(EntityTypeBuilder<ServiceLease> builder)
    {
        builder.ToTable("ServiceLeases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(ServiceLease.MaxNameLength);
        builder.Property(l => l.Holder).HasMaxLength(ServiceLease.MaxNameLength).IsRequired();
    }
}
