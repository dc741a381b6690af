using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Generation;
using Orbitr.Server.Samples;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Owners;

/// <summary>What an owner stores and uses, against the quota.</summary>
public sealed record OwnerUsage(int Samples, int Patterns, long Bytes, long QuotaBytes);

/// <summary>Anonymous owners: created with a fresh token (256 random bits, only its hash kept), found by token,
/// their libraries (sets of sample references), usage, and deletion of everything an owner stored.</summary>
public sealed class OwnerStore(OrbitrDbContext db, SampleLibrary samples, OwnerOptions options, TimeProvider clock)
{
    public async Task<(OwnerRecord Owner, string Token)> CreateAsync(CancellationToken cancel)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var owner = new OwnerRecord { Id = "o" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), TokenHash = Hash(token), CreatedAt = clock.GetUtcNow() };
        db.Owners.Add(owner);
        await db.SaveChangesAsync(cancel);
        return (owner, token);
    }

    /// <summary>The owner of a token, or null. The lookup is by hash (an index), then the hashes are compared in
    /// constant time, so timing says nothing about how much of a guess was right.</summary>
    public async Task<OwnerRecord?> FindByTokenAsync(string token, CancellationToken cancel)
    {
        if (token.Length is 0 or > 200) return null;
        var hash = Hash(token);
        var owner = await db.Owners.AsNoTracking().FirstOrDefaultAsync(o => o.TokenHash == hash, cancel);
        return owner is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(owner.TokenHash), Encoding.ASCII.GetBytes(hash))
            ? owner : null;
    }

    /// <summary>What the owner uses: every byte it keeps alive — the audio of the distinct samples in its library or
    /// played by its saved patterns (each counted once), the patterns themselves, and the expected size of the
    /// generations it waits for (so queued jobs cannot walk past the quota).</summary>
    public async Task<OwnerUsage> UsageAsync(string ownerId, CancellationToken cancel)
    {
        var library = db.LibraryEntries.Where(e => e.OwnerId == ownerId);
        var count = await library.CountAsync(cancel);
        var patterns = db.Patterns.Where(p => p.OwnerId == ownerId);
        var kept = KeptSampleIds(ownerId);
        var audio = await db.Samples.Where(s => kept.Contains(s.Id)).SumAsync(s => (long?)s.SizeBytes, cancel) ?? 0;
        var patternBytes = await patterns.SumAsync(p => (long?)p.Content.Length, cancel) ?? 0;
        var waitingSeconds = await db.GenerationClaims.Where(c => c.OwnerId == ownerId)
            .Join(db.Generations, c => c.GenerationId, g => g.Id, (c, g) => g)
            .Where(g => g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running)
            .Select(g => g.DurationSeconds).ToListAsync(cancel);
        var waiting = waitingSeconds.Sum(Generation.GenerationService.EstimatedBytes);
        return new OwnerUsage(count, await patterns.CountAsync(cancel), audio + patternBytes + waiting, options.StorageBytesPerOwner);
    }

    /// <summary>Would adding <paramref name="bytes"/> more take the owner past its quota? Returns the problem, or null.
    /// A quick check before costly work; <see cref="WithinQuotaAsync(string, long, Func{CancellationToken, Task}, CancellationToken)"/>
    /// is the one that holds.</summary>
    public async Task<string?> OverQuotaAsync(string ownerId, long bytes, CancellationToken cancel)
    {
        var usage = await UsageAsync(ownerId, cancel);
        return usage.Bytes + bytes <= usage.QuotaBytes ? null : OverMessage(usage, bytes);
    }

    private static string OverMessage(OwnerUsage usage, long bytes) =>
        $"you keep {usage.Bytes / 1e6:0.0} MB of {usage.QuotaBytes / 1e6:0.#} MB (your library, the sounds your saved patterns play, the patterns and generations under way); " +
        $"this needs {bytes / 1e6:0.0} MB more. Delete samples or patterns you no longer use.";

    public Task<string?> WithinQuotaAsync(string ownerId, long bytes, Func<CancellationToken, Task> write, CancellationToken cancel) =>
        WithinQuotaAsync(ownerId, _ => Task.FromResult(bytes), write, cancel);

    /// <summary>Runs <paramref name="write"/> only if the owner's usage plus what it adds (<paramref name="bytesNeeded"/>,
    /// computed under the lock) fits the quota, atomically: a transaction first takes the owner's row lock (a row
    /// lock in PostgreSQL, the write lock in SQLite), so concurrent writes for one owner are checked one after the
    /// other against what the previous ones stored. Returns the problem, or null when it was written.</summary>
    public async Task<string?> WithinQuotaAsync(string ownerId, Func<CancellationToken, Task<long>> bytesNeeded, Func<CancellationToken, Task> write,
        CancellationToken cancel)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A no-op update: its only purpose is the lock it takes until the transaction ends.
            await db.Owners.Where(o => o.Id == ownerId).ExecuteUpdateAsync(u => u.SetProperty(o => o.TokenHash, o => o.TokenHash), ct);
            var usage = await UsageAsync(ownerId, ct);
            var bytes = await bytesNeeded(ct);
            if (usage.Bytes + bytes > usage.QuotaBytes) return OverMessage(usage, bytes);
            await write(ct);
            await transaction.CommitAsync(ct);
            return null;
        }, cancel);
    }

    /// <summary>Bytes of the samples among <paramref name="sampleIds"/> that the owner does not keep alive yet.</summary>
    public async Task<long> NewlyKeptBytesAsync(string ownerId, IReadOnlyCollection<string> sampleIds, CancellationToken cancel)
    {
        if (sampleIds.Count == 0) return 0;
        var kept = KeptSampleIds(ownerId);
        return await db.Samples.Where(s => sampleIds.Contains(s.Id) && !kept.Contains(s.Id)).SumAsync(s => (long?)s.SizeBytes, cancel) ?? 0;
    }

    // The samples an owner keeps alive: those of its library and those its saved patterns play (a query, not a list).
    private IQueryable<string> KeptSampleIds(string ownerId)
    {
        var patterns = db.Patterns.Where(p => p.OwnerId == ownerId);
        return db.LibraryEntries.Where(e => e.OwnerId == ownerId).Select(e => e.SampleId)
            .Union(db.PatternSampleRefs.Where(r => patterns.Any(p => p.Id == r.PatternId)).Select(r => r.SampleId));
    }

    /// <summary>Adds a library entry inside the caller's transaction (the sample is new to this owner).</summary>
    public async Task AddNewToLibraryAsync(string ownerId, string sampleId, CancellationToken cancel)
    {
        db.LibraryEntries.Add(new LibraryEntry { OwnerId = ownerId, SampleId = sampleId, AddedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancel);
    }

    public Task<bool> InLibraryAsync(string ownerId, string sampleId, CancellationToken cancel) =>
        db.LibraryEntries.AnyAsync(e => e.OwnerId == ownerId && e.SampleId == sampleId, cancel);

    /// <summary>Puts a sample in an owner's library (nothing happens when it is already there).</summary>
    public async Task AddToLibraryAsync(string ownerId, string sampleId, CancellationToken cancel)
    {
        if (await InLibraryAsync(ownerId, sampleId, cancel)) return;
        db.LibraryEntries.Add(new LibraryEntry { OwnerId = ownerId, SampleId = sampleId, AddedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancel);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            // Added by a concurrent request, then the set already holds it; anything else is a real failure.
            if (!await InLibraryAsync(ownerId, sampleId, cancel)) throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Takes a sample out of an owner's library; its audio goes when no owner keeps it and no saved pattern
    /// plays it. False when it was not in the library.</summary>
    public async Task<bool> RemoveFromLibraryAsync(string ownerId, string sampleId, CancellationToken cancel)
    {
        var removed = await db.LibraryEntries.Where(e => e.OwnerId == ownerId && e.SampleId == sampleId).ExecuteDeleteAsync(cancel);
        if (removed == 0) return false;
        await CollectAsync([sampleId], cancel);
        return true;
    }

    /// <summary>Deletes the samples among <paramref name="sampleIds"/> that no library keeps and no saved pattern plays.</summary>
    public async Task CollectAsync(IReadOnlyCollection<string> sampleIds, CancellationToken cancel)
    {
        foreach (var id in sampleIds.Distinct())
        {
            var kept = await db.LibraryEntries.AnyAsync(e => e.SampleId == id, cancel)
                || await db.PatternSampleRefs.AnyAsync(r => r.SampleId == id, cancel);
            if (!kept) await samples.DeleteAsync(id, cancel);
        }
    }

    /// <summary>Everything the owner stored: its patterns, its library entries and claims (audio nobody else keeps is
    /// deleted), then the owner itself, so its token stops working.</summary>
    public async Task DeleteAsync(string ownerId, CancellationToken cancel)
    {
        var patternIds = await db.Patterns.Where(p => p.OwnerId == ownerId).Select(p => p.Id).ToListAsync(cancel);
        var referenced = await db.PatternSampleRefs.Where(r => patternIds.Contains(r.PatternId)).Select(r => r.SampleId).ToListAsync(cancel);
        var library = await db.LibraryEntries.Where(e => e.OwnerId == ownerId).Select(e => e.SampleId).ToListAsync(cancel);
        // The owner first: from here on its token opens nothing, even while the rest is being removed.
        await db.Owners.Where(o => o.Id == ownerId).ExecuteDeleteAsync(cancel);
        await db.GenerationClaims.Where(c => c.OwnerId == ownerId).ExecuteDeleteAsync(cancel);
        await db.PatternSampleRefs.Where(r => patternIds.Contains(r.PatternId)).ExecuteDeleteAsync(cancel);
        await db.Patterns.Where(p => p.OwnerId == ownerId).ExecuteDeleteAsync(cancel);
        await db.LibraryEntries.Where(e => e.OwnerId == ownerId).ExecuteDeleteAsync(cancel);
        await CollectAsync([.. library, .. referenced], cancel);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
