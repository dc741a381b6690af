using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Orbitr.Dsp.Analysis;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Samples;

/// <summary>The sample library: stores audio as WAV in the blob store and its metadata (with waveform peaks, computed
/// once) in the database; lists, finds and deletes.</summary>
public sealed class SampleLibrary(OrbitrDbContext db, IBlobStore blobs, TimeProvider clock, SampleAudioIndex index)
{
    public const int MaxPageSize = 100;

    /// <param name="id">A fixed id makes the call idempotent (a retried generation finds the sample it already stored).</param>
    public async Task<SampleRecord> AddAsync(AudioBuffer audio, string name, string engine, string? prompt, CancellationToken cancel, string? id = null)
    {
        if (id is not null && await FindAsync(id, cancel) is { } existing) return existing;
        var wav = WavWriter.ToBytes(audio, WavSampleFormat.Pcm16);
        id ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var record = new SampleRecord
        {
            Id = id,
            Name = name.Length > 200 ? name[..200] : name,
            Prompt = prompt,
            Engine = engine,
            DurationSeconds = audio.Duration,
            SampleRate = audio.SampleRate,
            Channels = audio.ChannelCount,
            Peaks = WaveformPeaks.Compute(audio),
            BlobKey = $"samples/{id[..2]}/{id}.wav",
            SizeBytes = wav.Length,
            ContentHash = Convert.ToBase64String(SHA256.HashData(wav)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            CreatedAt = clock.GetUtcNow(),
        };
        // Blob first: a record never points at missing audio (an orphan blob is harmless).
        await blobs.PutAsync(record.BlobKey, wav, cancel);
        db.Samples.Add(record);
        await db.SaveChangesAsync(cancel);
        return record;
    }

    /// <summary>Bytes the stored WAV (16-bit) of this audio takes: what counts against an owner's quota.</summary>
    public static long StoredBytes(AudioBuffer audio) => 44 + (long)audio.Length * audio.ChannelCount * 2;

    public Task<SampleRecord?> FindAsync(string id, CancellationToken cancel) =>
        db.Samples.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancel);

    /// <summary>An owner's library, the latest added first; <paramref name="search"/> matches name or prompt (case-insensitive).</summary>
    public async Task<(List<SampleRecord> Items, int Total)> ListAsync(string ownerId, string? search, int page, int pageSize, CancellationToken cancel)
    {
        var entries = db.LibraryEntries.AsNoTracking().Where(e => e.OwnerId == ownerId);
        var query = db.Samples.AsNoTracking().Where(s => entries.Any(e => e.SampleId == s.Id));
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(s => s.Name.ToLower().Contains(term) || (s.Prompt != null && s.Prompt.ToLower().Contains(term)));
        }
        var total = await query.CountAsync(cancel);
        var items = await query.OrderByDescending(s => entries.Where(e => e.SampleId == s.Id).Select(e => e.AddedAt).FirstOrDefault()).ThenBy(s => s.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancel);
        return (items, total);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancel)
    {
        var record = await db.Samples.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancel);
        if (record is null) return false;
        // Two owners letting go at once (two requests, maybe two processes) both get here: one deletes the row, the
        // other finds it gone — not an error (a tracked Remove would throw a concurrency exception: a 500).
        if (await db.Samples.Where(s => s.Id == id).ExecuteDeleteAsync(cancel) == 0) return false;
        index.Forget(id);
        await blobs.DeleteAsync(record.BlobKey, cancel);
        return true;
    }

    public Task<Stream?> OpenAudioAsync(SampleRecord record, CancellationToken cancel) => blobs.OpenAsync(record.BlobKey, cancel);

    /// <summary>What serving a sample's audio needs, from memory after the first request (audio never changes for an id).</summary>
    public async Task<SampleAudio?> AudioAsync(string id, CancellationToken cancel)
    {
        if (index.TryGet(id, out var known)) return known;
        if (await FindAsync(id, cancel) is not { } s) return null;
        var audio = new SampleAudio(s.Id, s.BlobKey, s.ContentHash, s.CreatedAt);
        index.Remember(audio);
        return audio;
    }
}

public sealed record SampleAudio(string Id, string BlobKey, string ContentHash, DateTimeOffset CreatedAt);

/// <summary>Sample id → where its audio is, kept in memory (bounded): the audio endpoint then needs no database
/// round trip. An entry whose blob has gone (deleted by another process) is forgotten when the blob is missed.</summary>
public sealed class SampleAudioIndex(Caching.RedisConnection? redis = null)
{
    private const int Capacity = 50_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SampleAudio> entries = new(StringComparer.Ordinal);

    public bool TryGet(string id, out SampleAudio audio) => entries.TryGetValue(id, out audio!);

    public void Remember(SampleAudio audio)
    {
        if (entries.Count >= Capacity) entries.Clear();
        entries[audio.Id] = audio;
    }

    /// <summary>Forgets a sample here and, with Redis, in every other process (it was deleted).</summary>
    public void Forget(string id)
    {
        ForgetHere(id);
        redis?.Announce(Caching.SharedEventsSubscriber.SampleChannel, id);
    }

    public void ForgetHere(string id) => entries.TryRemove(id, out _);
}
