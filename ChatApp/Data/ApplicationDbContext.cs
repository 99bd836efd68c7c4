using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChatApp.Data;

public sealed class ApplicationDbContext(DbContextOptions<ApplicationDbContext> options)
    : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<SystemFlag> SystemFlags => Set<SystemFlag>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(ApplicationUser.DisplayNameMaxLength).IsRequired();
            user.Property(u => u.NormalizedDisplayName).HasMaxLength(ApplicationUser.DisplayNameMaxLength).IsRequired();
            user.HasIndex(u => u.NormalizedDisplayName).IsUnique();
        });

        builder.Entity<IdentityRole>().HasData(new IdentityRole
        {
            Id = Security.Roles.AdminRoleId,
            Name = Security.Roles.Admin,
            NormalizedName = Security.Roles.Admin.ToUpperInvariant(),
            ConcurrencyStamp = Security.Roles.AdminRoleId,
        });

        builder.Entity<SystemFlag>(flag =>
        {
            flag.HasKey(f => f.Name);
            flag.Property(f => f.Name).HasMaxLength(64);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // All timestamps are UTC; SQLite returns them without a kind, so mark them on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
