using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Finishing;
using Orbitr.Server.Owners;
using Orbitr.Server.Samples;
using Orbitr.Server.Storage;
using Orbitr.Server.Telemetry;
using Quartz;

namespace Orbitr.Server.Generation;

/// <summary>Runs one generation: marks it running, asks its engine for audio with a time limit, stores the result as a
/// sample and marks it succeeded. Idempotent: a job that runs again (recovery after a crash) skips a finished
/// generation and reuses a sample it already stored.</summary>
[DisallowConcurrentExecution]
public sealed class GenerationJob(IServiceScopeFactory scopes, EngineCatalog engines, EngineGates gates, GenerationQueue queue,
    GenerationOptions options, GenerationEvents events, TimeProvider clock, ILogger<GenerationJob> log, OrbitrTelemetry telemetry) : IJob
{
    public const string IdKey = "generationId";
    public const int TimeoutCode = Orbitr.Core.Errors.ErrorCode.GenerationTimeout;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken stopping)
    {
        var id = context.MergedJobDataMap.GetString(IdKey)!;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbitrDbContext>();

        // An engine with its own limit (MusicGen: one at a time): a job beyond it goes back to the queue for a moment
        // instead of holding a worker, so jobs of other engines keep flowing.
        // The request's fields never change after it is recorded: one read serves the gate and the run.
        var record = await db.Generations.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, stopping);
        if (record is null) return;
        using var slot = gates.TryEnter(engines.Resolve(record.Engine));
        if (slot is { Entered: false })
        {
            await queue.RetryLaterAsync(id, TimeSpan.FromMilliseconds(500), stopping);
            return;
        }

        // Claim: only a queued job, or one left running by a process that died, may start.
        var claimed = await db.Generations
            .Where(g => g.Id == id && (g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.Status, GenerationStatus.Running)
                .SetProperty(g => g.StartedAt, clock.GetUtcNow())
                .SetProperty(g => g.Progress, 0.0)
                .SetProperty(g => g.Attempts, g => g.Attempts + 1), stopping);
        if (claimed == 0) return;
        events.Changed(id);
        using var run = telemetry.StartGeneration(record);
        var engine = engines.Resolve(record.Engine);
        if (engine is null)
        {
            run.Finish(GenerationOutcome.Failed);
            await FinishAsync(db, id, GenerationStatus.Failed, null, Orbitr.Core.Errors.ErrorCode.EngineUnavailable, $"the {record.Engine} engine is no longer available on this server");
            return;
        }

        var limit = engine.TimeoutSeconds ?? options.TimeoutSeconds;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(limit));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        var progress = new ProgressWriter(scopes, id, events, linked);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var audio = await engine.GenerateAsync(new GenerationSpec(record.Prompt, record.DurationSeconds, record.Quality == "hq", (uint)record.Seed),
                progress, linked.Token);
            await progress.FlushAsync();
            // The limit is the time taken, not whether the timer's callback got a thread in time: on a busy pool a
            // generation can end before a short timeout's callback runs, and it still took too long.
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(limit)) await timeout.CancelAsync();
            linked.Token.ThrowIfCancellationRequested();
            // Every engine's sound is finished the same way: trimmed, faded, at the same loudness.
            audio = SampleFinisher.Default.Finish(audio);
            // Owners waiting for it that still exist: the result is stored only for them.
            var waiting = await db.GenerationClaims.AsNoTracking().Where(c => c.GenerationId == id && db.Owners.Any(o => o.Id == c.OwnerId))
                .Select(c => c.OwnerId).ToListAsync(CancellationToken.None);
            if (waiting.Count == 0)
            {
                run.Finish(GenerationOutcome.Canceled);
                await FinishAsync(db, id, GenerationStatus.Canceled, null, null, "nobody waits for this sound any more (its owner was deleted)");
                return;
            }
            var library = scope.ServiceProvider.GetRequiredService<SampleLibrary>();
            // The sample id follows from the generation id, so a retry cannot store a second copy.
            var sample = await library.AddAsync(audio, NameOf(record.Prompt), record.Engine, record.Prompt, CancellationToken.None, "s" + id[1..]);
            var owners = scope.ServiceProvider.GetRequiredService<OwnerStore>();
            foreach (var owner in waiting) await owners.AddToLibraryAsync(owner, sample.Id, CancellationToken.None);
            run.Finish(GenerationOutcome.Succeeded);
            await FinishAsync(db, id, GenerationStatus.Succeeded, sample.Id, null, null);
            await scope.ServiceProvider.GetRequiredService<Caching.GenerationResultCache>().SetAsync(record.CacheKey, id, CancellationToken.None);
            // An owner deleted while the sample was being stored leaves it in nobody's library: let it go.
            await owners.CollectAsync([sample.Id], CancellationToken.None);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            run.Finish(GenerationOutcome.Timeout);
            await FinishAsync(db, id, GenerationStatus.Failed, null, TimeoutCode,
                $"generation took longer than {limit:0.#} s and was stopped");
        }
        catch (OperationCanceledException)
        {
            if (progress.Canceled || await IsCanceledAsync(db, id))
            {
                run.Finish(GenerationOutcome.Canceled);
                // DELETE /api/generations/{id} already recorded it.
                events.Changed(id);
                return;
            }
            // The process is stopping: leave it "running" so the recovered job runs it again at the next start.
            log.LogInformation("generation {Id} interrupted by shutdown; it will run again", id);
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "generation {Id} failed", id);
            run.Finish(GenerationOutcome.Failed);
            await FinishAsync(db, id, GenerationStatus.Failed, null, Orbitr.Core.Errors.ErrorCode.GenerationFailed, $"the engine could not make this sound: {e.Message}");
        }
    }

    private static async Task<bool> IsCanceledAsync(OrbitrDbContext db, string id) =>
        await db.Generations.AsNoTracking().AnyAsync(g => g.Id == id && g.Status == GenerationStatus.Canceled);

    private async Task FinishAsync(OrbitrDbContext db, string id, string status, string? sampleId, int? code, string? error)
    {
        // Only a running job can finish: a cancel that won the race is kept.
        await db.Generations.Where(g => g.Id == id && g.Status == GenerationStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.Status, status)
                .SetProperty(g => g.SampleId, sampleId)
                .SetProperty(g => g.ErrorCode, code)
                .SetProperty(g => g.Error, error)
                .SetProperty(g => g.Progress, g => status == GenerationStatus.Succeeded ? 1.0 : g.Progress)
                .SetProperty(g => g.FinishedAt, clock.GetUtcNow()));
        events.Changed(id);
    }

    private static string NameOf(string prompt) => prompt.Length <= 48 ? prompt : prompt[..47] + "…";

    /// <summary>Writes progress (monotone) to the database at most every 100 ms (or on a 10 % step) and notices a cancel made
    /// elsewhere (another process) by the row it reads back.</summary>
    private sealed class ProgressWriter(IServiceScopeFactory scopes, string id, GenerationEvents events, CancellationTokenSource run) : IProgress<double>
    {
        private readonly Lock gate = new();
        private double latest, written;
        private long writtenAt;
        private Task pending = Task.CompletedTask;
        public bool Canceled { get; private set; }

        public void Report(double value)
        {
            lock (gate)
            {
                // Never backwards: an engine that restarts its count (a stage of its own) must not make the bar jump back.
                latest = Math.Max(latest, Math.Clamp(value, 0, 1));
                var now = Environment.TickCount64;
                if (latest <= written) return;
                if (latest - written < 0.1 && now - writtenAt < 100 && latest < 1) return;
                written = latest;
                writtenAt = now;
                var v = latest;
                pending = pending.ContinueWith(_ => WriteAsync(v), TaskScheduler.Default).Unwrap();
            }
        }

        public Task FlushAsync()
        {
            lock (gate) return pending;
        }

        private async Task WriteAsync(double value)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrbitrDbContext>();
                var changed = await db.Generations.Where(g => g.Id == id && g.Status == GenerationStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(g => g.Progress, value));
                if (changed == 0)
                {
                    Canceled = true;
                    await run.CancelAsync();
                }
                events.Changed(id);
            }
            catch (Exception) when (run.IsCancellationRequested)
            {
            }
        }
    }
}
