using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Orbitr.Server.Storage;

/// <summary>The server's database (EF Core; SQLite by default). Migrations live in Storage/Migrations.</summary>
public sealed class OrbitrDbContext(DbContextOptions<OrbitrDbContext> options) : DbContext(options)
{
    public DbSet<SampleRecord> Samples => Set<SampleRecord>();

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
        // SQLite cannot order by DateTimeOffset: keep it as UTC ticks.
        samples.Property(s => s.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        samples.HasIndex(s => s.CreatedAt);
        samples.Property(s => s.Peaks).HasConversion(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<float[]>(v, (JsonSerializerOptions?)null) ?? Array.Empty<float>(),
            new ValueComparer<float[]>((a, b) => a!.SequenceEqual(b!), v => v.Length, v => v.ToArray()));
    }
}
