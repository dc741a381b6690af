using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Http;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Patterns;

public enum UpdateOutcome { Updated, NotFound, Forbidden, Stale }

/// <summary>Saved patterns: create with a fresh edit token (only its hash is kept), read, and update with the token and
/// the version the client last saw (optimistic concurrency: a stale update changes nothing).</summary>
public sealed class PatternStore(OrbitrDbContext db, TimeProvider clock)
{
    public async Task<(PatternRecord Record, string EditToken)> CreateAsync(string contentType, byte[] content, CancellationToken cancel)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        var record = new PatternRecord
        {
            // 72 random bits: unguessable enough that a share link is the only way in.
            Id = Base64Url(RandomNumberGenerator.GetBytes(9)),
            ContentType = contentType,
            Content = content,
            EditTokenHash = Hash(token),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Patterns.Add(record);
        await db.SaveChangesAsync(cancel);
        return (record, token);
    }

    public Task<PatternRecord?> FindAsync(string id, CancellationToken cancel) =>
        db.Patterns.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancel);

    public async Task<(UpdateOutcome Outcome, PatternRecord? Record)> UpdateAsync(string id, string editToken, IfMatch condition, string contentType,
        byte[] content, CancellationToken cancel)
    {
        var current = await FindAsync(id, cancel);
        if (current is null) return (UpdateOutcome.NotFound, null);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(editToken)), Encoding.ASCII.GetBytes(current.EditTokenHash)))
            return (UpdateOutcome.Forbidden, current);
        if (!condition.Matches(ETagOf(current))) return (UpdateOutcome.Stale, current);
        var expectedVersion = current.Version;
        // One statement, conditional on the version: of two concurrent updates exactly one matches.
        var changed = await db.Patterns.Where(p => p.Id == id && p.Version == expectedVersion)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Content, content)
                .SetProperty(p => p.ContentType, contentType)
                .SetProperty(p => p.Version, expectedVersion + 1)
                .SetProperty(p => p.UpdatedAt, clock.GetUtcNow()), cancel);
        var after = await FindAsync(id, cancel);
        return (changed == 1 ? UpdateOutcome.Updated : UpdateOutcome.Stale, after);
    }

    public static string ETagOf(PatternRecord record) => $"\"v{record.Version}\"";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
