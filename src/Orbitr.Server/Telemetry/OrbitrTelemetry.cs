using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Generation;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Telemetry;

/// <summary>How a generation ended, as the <c>outcome</c> tag of <c>orbitr.generation.duration</c>.</summary>
public static class GenerationOutcome
{
    public const string Succeeded = "succeeded", Failed = "failed", Canceled = "canceled", Timeout = "timeout";
}

/// <summary>Orbitr's own traces and metrics: the "Orbitr.Server" activity source and meter. One per server (a
/// singleton): its meter comes from the host's <see cref="IMeterFactory"/>, so two servers in one process (tests) keep
/// apart (<see cref="Meter.Scope"/> is that factory). Costs next to nothing when nobody listens.</summary>
public sealed class OrbitrTelemetry
{
    public const string Name = "Orbitr.Server";

    /// <summary>The "generation" activity around each engine run.</summary>
    public static readonly ActivitySource Source = new(Name, typeof(OrbitrTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>How long the queue length is reused: a collection reads the database at most once.</summary>
    public static readonly TimeSpan QueueLengthMaxAge = TimeSpan.FromSeconds(1);

    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<OrbitrTelemetry> log;
    private readonly Histogram<double> generationDuration;
    private readonly Counter<long> generationCache;
    private readonly Counter<long> audioRequests;
    private readonly Lock queueGate = new();
    private long? queued;
    private long queuedAt;

    public OrbitrTelemetry(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<OrbitrTelemetry> log)
    {
        this.scopes = scopes;
        this.log = log;
        Meter = meters.Create(Name, Source.Version);
        generationDuration = Meter.CreateHistogram<double>("orbitr.generation.duration", "s",
            "Time from an engine's start to the generation's end, by engine and outcome (succeeded, failed, canceled, timeout)");
        generationCache = Meter.CreateCounter<long>("orbitr.generation.cache", "{request}",
            "Generation requests answered from the cache (result=hit) or recorded as a new generation (result=miss)");
        Meter.CreateObservableGauge("orbitr.generation.queue.length", ObserveQueueLength, "{generation}",
            "Generations waiting in the queue (status queued)");
        audioRequests = Meter.CreateCounter<long>("orbitr.samples.audio.requests", "{request}", "Requests for a sample's audio");
    }

    public Meter Meter { get; }

    /// <summary>Starts the "generation" activity and the clock of <c>orbitr.generation.duration</c>; end it with
    /// <see cref="GenerationRun.Finish"/> on every exit path and dispose it.</summary>
    public GenerationRun StartGeneration(GenerationRecord record)
    {
        var activity = Source.StartActivity("generation");
        if (activity is { IsAllDataRequested: true })
            activity.SetTag("orbitr.generation.id", record.Id)
                .SetTag("orbitr.generation.engine", record.Engine)
                .SetTag("orbitr.generation.duration_seconds", record.DurationSeconds)
                .SetTag("orbitr.generation.quality", record.Quality);
        return new GenerationRun(this, record.Engine, activity);
    }

    public void CacheHit() => generationCache.Add(1, new KeyValuePair<string, object?>("result", "hit"));

    public void CacheMiss() => generationCache.Add(1, new KeyValuePair<string, object?>("result", "miss"));

    public void AudioRequested() => audioRequests.Add(1);

    private IEnumerable<Measurement<long>> ObserveQueueLength()
    {
        lock (queueGate)
        {
            var now = Stopwatch.GetTimestamp();
            if (queuedAt == 0 || Stopwatch.GetElapsedTime(queuedAt, now) >= QueueLengthMaxAge)
            {
                queuedAt = now;
                try
                {
                    using var scope = scopes.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<OrbitrDbContext>();
                    queued = db.Generations.Count(g => g.Status == GenerationStatus.Queued);
                }
                catch (Exception e)
                {
                    // A collection must not fail (nor fail the other instruments) because the database is away or the
                    // server is stopping: report nothing this time.
                    queued = null;
                    log.LogDebug(e, "could not count queued generations for orbitr.generation.queue.length");
                }
            }
            return queued is { } n ? [new Measurement<long>(n)] : [];
        }
    }

    /// <summary>One engine run: its activity and the start of its duration. <see cref="Finish"/> counts once (the first
    /// outcome wins).</summary>
    public sealed class GenerationRun : IDisposable
    {
        private readonly OrbitrTelemetry telemetry;
        private readonly string engine;
        private readonly long started = Stopwatch.GetTimestamp();
        private int finished;

        internal GenerationRun(OrbitrTelemetry telemetry, string engine, Activity? activity)
        {
            this.telemetry = telemetry;
            this.engine = engine;
            Activity = activity;
        }

        public Activity? Activity { get; }

        public void Finish(string outcome)
        {
            if (Interlocked.Exchange(ref finished, 1) != 0) return;
            telemetry.generationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("engine", engine), new KeyValuePair<string, object?>("outcome", outcome));
            if (Activity is null) return;
            Activity.SetTag("orbitr.generation.outcome", outcome);
            if (outcome is GenerationOutcome.Failed or GenerationOutcome.Timeout) Activity.SetStatus(ActivityStatusCode.Error, outcome);
            else if (outcome == GenerationOutcome.Succeeded) Activity.SetStatus(ActivityStatusCode.Ok);
        }

        public void Dispose() => Activity?.Dispose();
    }
}
