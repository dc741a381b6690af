using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Orbitr.Server.Generation;
using Orbitr.Server.Owners;

namespace Orbitr.Server.Storage;

/// <summary>The server's database (EF Core): SQLite by default (migrations in Storage/Migrations), PostgreSQL by
/// configuration through <see cref="PostgresOrbitrDbContext"/> (the same model; its migrations in
/// Storage/Migrations/Postgres, since each provider's migrations carry its own column types).</summary>
public class OrbitrDbContext : DbContext
{
    public OrbitrDbContext(DbContextOptions<OrbitrDbContext> options) : base(options) { }

    protected OrbitrDbContext(DbContextOptions options) : base(options) { }

    public DbSet<SampleRecord> Samples => Set<SampleRecord>();
    public DbSet<GenerationRecord> Generations => Set<GenerationRecord>();
    public DbSet<PatternRecord> Patterns => Set<PatternRecord>();
    public DbSet<OwnerRecord> Owners => Set<OwnerRecord>();
    public DbSet<LibraryEntry> LibraryEntries => Set<LibraryEntry>();
    public DbSet<GenerationClaim> GenerationClaims => Set<GenerationClaim>();
    public DbSet<PatternSampleRef> PatternSampleRefs => Set<PatternSampleRef>();

    // SQLite cannot order by DateTimeOffset: every one is kept as UTC ticks.
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    protected override void OnModelCreating(ModelBuilder model)
    {
        var samples = model.Entity<SampleRecord>();
        samples.HasKey(s => s.Id);
        samples.Property(s => s.Id).HasMaxLength(32);
        samples.Property(s => s.Name).HasMaxLength(200);
        samples.Property(s => s.Prompt).HasMaxLength(200);
        samples.Property(s => s.Engine).HasMaxLength(16);
        samples.Property(s => s.BlobKey).HasMaxLength(200);
        samples.Property(s => s.ContentHash).HasMaxLength(64);
        samples.HasIndex(s => s.CreatedAt);
        samples.Property(s => s.Peaks).HasConversion(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<float[]>(v, (JsonSerializerOptions?)null) ?? Array.Empty<float>(),
            new ValueComparer<float[]>((a, b) => a!.SequenceEqual(b!), v => v.Length, v => v.ToArray()));

        var generations = model.Entity<GenerationRecord>();
        generations.HasKey(g => g.Id);
        generations.Property(g => g.Id).HasMaxLength(32);
        generations.Property(g => g.CacheKey).HasMaxLength(64);
        generations.Property(g => g.Prompt).HasMaxLength(200);
        generations.Property(g => g.Engine).HasMaxLength(16);
        generations.Property(g => g.ModelVersion).HasMaxLength(64);
        generations.Property(g => g.Quality).HasMaxLength(8);
        generations.Property(g => g.ClientId).HasMaxLength(64);
        generations.Property(g => g.Status).HasMaxLength(16);
        generations.Property(g => g.SampleId).HasMaxLength(32);
        generations.Property(g => g.Error).HasMaxLength(500);
        generations.HasIndex(g => new { g.CacheKey, g.Status });
        generations.HasIndex(g => new { g.Status, g.CreatedAt });
        generations.HasIndex(g => new { g.ClientId, g.CreatedAt });

        var patterns = model.Entity<PatternRecord>();
        patterns.HasKey(p => p.Id);
        patterns.Property(p => p.Id).HasMaxLength(32);
        patterns.Property(p => p.ContentType).HasMaxLength(64);
        patterns.Property(p => p.EditTokenHash).HasMaxLength(64);
        patterns.Property(p => p.OwnerId).HasMaxLength(32);
        patterns.HasIndex(p => p.OwnerId);

        var owners = model.Entity<OwnerRecord>();
        owners.HasKey(o => o.Id);
        owners.Property(o => o.Id).HasMaxLength(32);
        owners.Property(o => o.TokenHash).HasMaxLength(64);
        owners.HasIndex(o => o.TokenHash).IsUnique();

        var library = model.Entity<LibraryEntry>();
        library.HasKey(e => new { e.OwnerId, e.SampleId });
        library.Property(e => e.OwnerId).HasMaxLength(32);
        library.Property(e => e.SampleId).HasMaxLength(32);
        library.HasIndex(e => e.SampleId);
        library.HasIndex(e => new { e.OwnerId, e.AddedAt });

        var claims = model.Entity<GenerationClaim>();
        claims.HasKey(c => new { c.GenerationId, c.OwnerId });
        claims.Property(c => c.GenerationId).HasMaxLength(32);
        claims.Property(c => c.OwnerId).HasMaxLength(32);
        claims.HasIndex(c => c.OwnerId);

        var refs = model.Entity<PatternSampleRef>();
        refs.HasKey(r => new { r.PatternId, r.SampleId });
        refs.Property(r => r.PatternId).HasMaxLength(32);
        refs.Property(r => r.SampleId).HasMaxLength(32);
        refs.HasIndex(r => r.SampleId);
    }
}

/// <summary>The PostgreSQL flavour of the context: only its migrations differ (Npgsql column types).</summary>
public sealed class PostgresOrbitrDbContext(DbContextOptions<PostgresOrbitrDbContext> options) : OrbitrDbContext(options);

/// <summary>For `dotnet ef migrations add … --context PostgresOrbitrDbContext` (no server needed to make a migration).</summary>
public sealed class PostgresDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresOrbitrDbContext>
{
    public PostgresOrbitrDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOrbitrDbContext>().UseNpgsql("Host=localhost;Database=orbitr").Options);
}
