using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Orbitr.Contracts;
using Orbitr.Server.Owners;
using Orbitr.Server.Samples;
using Orbitr.Server.Storage;
using Orbitr.Server.Telemetry;

namespace Orbitr.Server.Generation;

public enum SubmitOutcome { Queued, Cached, InvalidEngine, QuotaExceeded, StorageFull }

/// <summary>Accepts generation requests: answers from the cache, joins an identical job already under way, or
/// records a new one and puts it on the queue.</summary>
public sealed class GenerationService(OrbitrDbContext db, EngineCatalog engines, GenerationQueue queue, GenerationOptions options,
    Caching.GenerationResultCache results,
    OwnerStore owners, TimeProvider clock, OrbitrTelemetry telemetry)
{
    /// <summary>What a generated sample will take of the owner's quota: 16-bit mono at 44.1 kHz (no engine makes more).</summary>
    public static long EstimatedBytes(double seconds) => 44 + (long)Math.Ceiling(seconds * 44100) * 2;

    public async Task<(SubmitOutcome Outcome, GenerationDto? Generation, string? Problem)> SubmitAsync(GenerationRequest request, string clientId,
        string ownerId, CancellationToken cancel)
    {
        var engine = engines.Resolve(request.Engine);
        if (engine is null)
            return (SubmitOutcome.InvalidEngine, null, engines.Unavailable(request.Engine));
        if (request.DurationSeconds > engine.MaxDurationSeconds)
            return (SubmitOutcome.InvalidEngine, null, $"the {engine.Name} engine makes at most {engine.MaxDurationSeconds} s");
        var key = GenerationCacheKey.Compute(engine.Name, engine.ModelVersion, request.Prompt, request.DurationSeconds, request.Quality, request.Seed ?? 0);

        // Cache hit: the same request has made a sample that is still in the library.
        // The shared cache names the generation that made it (a primary-key read); without it, the index on the key.
        var known = await results.GetAsync(key, cancel);
        var done = (known is null ? null : await db.Generations.AsNoTracking()
                       .FirstOrDefaultAsync(g => g.Id == known && g.Status == GenerationStatus.Succeeded && g.SampleId != null, cancel))
                   ?? await db.Generations.AsNoTracking()
                       .Where(g => g.CacheKey == key && g.Status == GenerationStatus.Succeeded && g.SampleId != null)
                       .OrderByDescending(g => g.CreatedAt).FirstOrDefaultAsync(cancel);
        if (done is not null && await db.Samples.AsNoTracking().FirstOrDefaultAsync(s => s.Id == done.SampleId, cancel) is { } sample)
        {
            // The earlier sample joins the caller's library too (one stored copy, counted in each library that keeps it).
            if (!await owners.InLibraryAsync(ownerId, sample.Id, cancel)
                && await owners.WithinQuotaAsync(ownerId, ct => owners.NewlyKeptBytesAsync(ownerId, [sample.Id], ct), async ct =>
                {
                    if (!await owners.InLibraryAsync(ownerId, sample.Id, ct)) await owners.AddNewToLibraryAsync(ownerId, sample.Id, ct);
                }, cancel) is { } over)
                return (SubmitOutcome.StorageFull, null, over);
            telemetry.CacheHit();
            return (SubmitOutcome.Cached, ToDto(done, 0, cached: true), null);
        }
        if (await owners.OverQuotaAsync(ownerId, EstimatedBytes(request.DurationSeconds), cancel) is { } full)
            return (SubmitOutcome.StorageFull, null, full);

        // The same request already queued or running: share it rather than making the sound twice.
        var pending = await db.Generations.AsNoTracking()
            .Where(g => g.CacheKey == key && (g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running))
            .OrderBy(g => g.CreatedAt).FirstOrDefaultAsync(cancel);
        if (pending is not null)
        {
            if (await ClaimAsync(pending, ownerId, cancel) is { } noRoom) return (SubmitOutcome.StorageFull, null, noRoom);
            return (SubmitOutcome.Queued, ToDto(pending, await PositionAsync(pending, cancel)), null);
        }

        var dayStart = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var today = await db.Generations.CountAsync(g => g.ClientId == clientId && g.CreatedAt >= dayStart, cancel);
        if (today >= options.DailyQuota)
            return (SubmitOutcome.QuotaExceeded, null,
                $"this client has started {today} generations today; the daily quota is {options.DailyQuota}. It resets at 00:00 UTC.");

        var record = new GenerationRecord
        {
            Id = "g" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            CacheKey = key,
            Prompt = request.Prompt,
            Engine = engine.Name,
            ModelVersion = engine.ModelVersion,
            DurationSeconds = request.DurationSeconds,
            Quality = request.Quality,
            Seed = request.Seed ?? 0,
            ClientId = clientId,
            CreatedAt = clock.GetUtcNow(),
        };
        // The job's expected size counts against the owner from now on: checked and recorded under the owner's lock.
        if (await owners.WithinQuotaAsync(ownerId, EstimatedBytes(request.DurationSeconds), async ct =>
            {
                db.Generations.Add(record);
                db.GenerationClaims.Add(new GenerationClaim { GenerationId = record.Id, OwnerId = ownerId });
                await db.SaveChangesAsync(ct);
            }, cancel) is { } noSpace)
            return (SubmitOutcome.StorageFull, null, noSpace);
        telemetry.CacheMiss();
        // Recorded first, queued second: if the process dies in between, start-up reconciliation queues it.
        await queue.EnqueueAsync(record.Id, cancel);
        return (SubmitOutcome.Queued, ToDto(record, await PositionAsync(record, cancel)), null);
    }

    public async Task<GenerationDto?> GetAsync(string id, CancellationToken cancel)
    {
        var record = await db.Generations.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancel);
        return record is null ? null : ToDto(record, await PositionAsync(record, cancel));
    }

    // Waiting for a job counts its expected size against the owner (once: a second claim by the same owner adds nothing).
    private async Task<string?> ClaimAsync(GenerationRecord pending, string ownerId, CancellationToken cancel)
    {
        if (await db.GenerationClaims.AnyAsync(c => c.GenerationId == pending.Id && c.OwnerId == ownerId, cancel)) return null;
        return await owners.WithinQuotaAsync(ownerId, EstimatedBytes(pending.DurationSeconds), async ct =>
        {
            if (await db.GenerationClaims.AnyAsync(c => c.GenerationId == pending.Id && c.OwnerId == ownerId, ct)) return;
            db.GenerationClaims.Add(new GenerationClaim { GenerationId = pending.Id, OwnerId = ownerId });
            await db.SaveChangesAsync(ct);
        }, cancel);
    }

    /// <summary>The owner stops waiting for a job; the job itself is cancelled when nobody else waits for it (queued or
    /// running; a finished one is left as it is). Null when the owner was not waiting for it.</summary>
    public async Task<GenerationDto?> CancelAsync(string id, string ownerId, CancellationToken cancel)
    {
        var record = await db.Generations.FirstOrDefaultAsync(g => g.Id == id, cancel);
        if (record is null) return null;
        if (await db.GenerationClaims.Where(c => c.GenerationId == id && c.OwnerId == ownerId).ExecuteDeleteAsync(cancel) == 0) return null;
        if (!GenerationStatus.IsFinished(record.Status) && !await db.GenerationClaims.AnyAsync(c => c.GenerationId == id, cancel))
        {
            // Conditional update: a job that finished a moment ago keeps its result.
            var changed = await db.Generations
                .Where(g => g.Id == id && (g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running))
                .ExecuteUpdateAsync(u => u.SetProperty(g => g.Status, GenerationStatus.Canceled)
                    .SetProperty(g => g.FinishedAt, clock.GetUtcNow()), cancel);
            if (changed > 0) await queue.CancelAsync(id, cancel);
            await db.Entry(record).ReloadAsync(cancel);
        }
        return ToDto(record, 0);
    }

    /// <summary>1-based place among queued jobs (oldest first); 0 once running or finished.</summary>
    public async Task<int> PositionAsync(GenerationRecord record, CancellationToken cancel)
    {
        if (record.Status != GenerationStatus.Queued) return 0;
        var created = record.CreatedAt;
        return 1 + await db.Generations.CountAsync(g => g.Status == GenerationStatus.Queued &&
            (g.CreatedAt < created || (g.CreatedAt == created && string.Compare(g.Id, record.Id) < 0)), cancel);
    }

    public static GenerationDto ToDto(GenerationRecord g, int position, bool cached = false) =>
        new(g.Id, g.Status, g.Progress, position, g.SampleId, g.Prompt, g.Engine, g.DurationSeconds, g.Quality, (uint)g.Seed, cached,
            g.ErrorCode, g.Error, g.CreatedAt,
            // Derived from the prompt (deterministic), so it needs no column and old rows get it too.
            g.Engine == Orbitr.Synthesis.Prompting.PromptSynthesizer.EngineName ? SynthEngine.Reading(g.Prompt) : null);
}
