using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class SecretConfiguration : IEntityTypeConfiguration<Secret>
{
    public void Configure(EntityTypeBuilder<Secret> builder)
    {
        builder.ToTable("Secrets");

        // A secret is its name within its namespace; the key also serves the list (by name).
        builder.HasKey(s => new { s.Namespace, s.Name });
        builder.Property(s => s.Namespace).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(Secret.MaxNameLength);
        builder.Property(s => s.ProtectedValue).IsRequired();
    }
}
