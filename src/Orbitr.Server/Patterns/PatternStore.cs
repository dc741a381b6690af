using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Http;
using Orbitr.Server.Owners;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Patterns;

public enum UpdateOutcome { Updated, NotFound, Forbidden, Stale, OverQuota }

/// <summary>Saved patterns: create with a fresh edit token (only its hash is kept), read, and update with the token and
/// the version the client last saw (optimistic concurrency: a stale update changes nothing).</summary>
/// <summary>A pattern body as stored: its content type and bytes, and the library samples (<c>generated:&lt;id&gt;</c>)
/// it plays — read once, where the body is validated (none for ciphertext, which the server cannot read).</summary>
public sealed record PatternBody(string ContentType, byte[] Content, IReadOnlyList<string> SamplesPlayed)
{
    public static PatternBody Of(Orbitr.Core.Model.Pattern pattern) => new("application/json", Orbitr.Core.Json.PatternJson.WriteUtf8(pattern),
        [.. pattern.Samples.Items.Where(s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Generated)
            .Select(s => s.Ref.Value).Where(v => v.Length <= 32).Distinct(StringComparer.Ordinal)]);
}

public sealed class PatternStore(OrbitrDbContext db, OwnerStore owners, TimeProvider clock)
{
    /// <summary>Saves a new pattern for <paramref name="ownerId"/>; its bytes and the sounds it keeps alive count against
    /// the owner's quota (checked atomically with the insert). Returns the problem instead when they do not fit.</summary>
    public async Task<(PatternRecord? Record, string? EditToken, string? OverQuota)> CreateAsync(PatternBody body, string ownerId, CancellationToken cancel)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        var record = new PatternRecord
        {
            // 72 random bits: unguessable enough that a share link is the only way in.
            Id = Base64Url(RandomNumberGenerator.GetBytes(9)),
            ContentType = body.ContentType,
            Content = body.Content,
            EditTokenHash = Hash(token),
            OwnerId = ownerId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var over = await owners.WithinQuotaAsync(ownerId,
            async ct => body.Content.Length + await owners.NewlyKeptBytesAsync(ownerId, body.SamplesPlayed.ToList(), ct),
            async ct =>
            {
                db.Patterns.Add(record);
                foreach (var sample in body.SamplesPlayed) db.PatternSampleRefs.Add(new PatternSampleRef { PatternId = record.Id, SampleId = sample });
                await db.SaveChangesAsync(ct);
            }, cancel);
        return over is null ? (record, token, null) : (null, null, over);
    }

    public Task<PatternRecord?> FindAsync(string id, CancellationToken cancel) =>
        db.Patterns.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancel);

    /// <param name="token">The bearer token: the pattern's edit token, or (when <paramref name="ownerId"/> is set) an owner's.</param>
    public async Task<(UpdateOutcome Outcome, PatternRecord? Record, string? OverQuota)> UpdateAsync(string id, string token, string? ownerId, IfMatch condition,
        PatternBody body, CancellationToken cancel)
    {
        var current = await FindAsync(id, cancel);
        if (current is null) return (UpdateOutcome.NotFound, null, null);
        var byOwner = ownerId is not null && current.OwnerId == ownerId;
        var byEditToken = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(current.EditTokenHash));
        if (!byOwner && !byEditToken) return (UpdateOutcome.Forbidden, current, null);
        if (!condition.Matches(ETagOf(current))) return (UpdateOutcome.Stale, current, null);
        var expectedVersion = current.Version;
        var changed = 0;
        var before = new List<string>();
        async Task Write(CancellationToken ct)
        {
            // One statement, conditional on the version: of two concurrent updates exactly one matches.
            changed = await db.Patterns.Where(p => p.Id == id && p.Version == expectedVersion)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Content, body.Content)
                    .SetProperty(p => p.ContentType, body.ContentType)
                    .SetProperty(p => p.Version, expectedVersion + 1)
                    .SetProperty(p => p.UpdatedAt, clock.GetUtcNow()), ct);
            if (changed != 1) return;
            // What the pattern plays now keeps its audio; what it no longer plays may go.
            before = await db.PatternSampleRefs.Where(r => r.PatternId == id).Select(r => r.SampleId).ToListAsync(ct);
            await db.PatternSampleRefs.Where(r => r.PatternId == id).ExecuteDeleteAsync(ct);
            foreach (var sample in body.SamplesPlayed) db.PatternSampleRefs.Add(new PatternSampleRef { PatternId = id, SampleId = sample });
            await db.SaveChangesAsync(ct);
        }
        // The pattern's owner pays for what it grows by and for the sounds it newly keeps, whoever edits it.
        if (current.OwnerId is { } payer)
        {
            var over = await owners.WithinQuotaAsync(payer,
                async ct => Math.Max(0, body.Content.Length - current.Content.Length) + await owners.NewlyKeptBytesAsync(payer, body.SamplesPlayed.ToList(), ct),
                Write, cancel);
            if (over is not null) return (UpdateOutcome.OverQuota, current, over);
        }
        else
        {
            await Write(cancel);
        }
        if (changed == 1) await owners.CollectAsync(before, cancel);
        var after = await FindAsync(id, cancel);
        return (changed == 1 ? UpdateOutcome.Updated : UpdateOutcome.Stale, after, null);
    }

    public static string ETagOf(PatternRecord record) => $"\"v{record.Version}\"";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
