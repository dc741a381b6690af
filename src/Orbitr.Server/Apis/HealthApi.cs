using Microsoft.EntityFrameworkCore;
using Orbitr.Contracts;
using Orbitr.Server.Generation;
using Orbitr.Server.Storage;
using Quartz;

namespace Orbitr.Server.Apis;

/// <summary>GET /api/health: liveness and each dependency's state (database, blob store, queue, engines).
/// 200 when all are up, 503 when one is down; the body says which.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", CheckAsync);
        return app;
    }

    private static async Task<IResult> CheckAsync(OrbitrDbContext db, OrbitrOptions options, IBlobStore blobs, Caching.RedisConnection redis,
        ISchedulerFactory schedulers, EngineCatalog engines,
        CancellationToken cancel)
    {
        var states = new List<DependencyState>
        {
            await Probe("database", async () => await db.Database.CanConnectAsync(cancel) ? $"{options.Database.Provider}" : throw new InvalidOperationException("cannot connect")),
            await Probe("blobs", () =>
            {
                if (blobs is S3BlobStore s3) return s3.ProbeAsync(cancel);
                var root = Path.Combine(options.FullDataPath, "blobs");
                Directory.CreateDirectory(root);
                return Task.FromResult($"files in {root}");
            }),
            // Redis down is a warning, not an outage: the server serves from the database, limits per process.
            redis.Configured
                ? redis.IsAvailable ? new DependencyState("cache", "up", "redis") : new DependencyState("cache", "degraded",
                    "Redis unreachable: serving from the database; rate limits hold per process until it is back")
                : new DependencyState("cache", "up", "memory"),
            await Probe("queue", async () =>
            {
                var scheduler = await schedulers.GetScheduler(cancel);
                return scheduler.Status is SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown
                    ? throw new InvalidOperationException("shut down")
                    : scheduler.Status.ToString().ToLowerInvariant();
            }),
            new("engines", "up", string.Join(", ", engines.All.Where(e => e.State == EngineState.Available).Select(e => $"{e.Name} ({e.ModelVersion})"))),
        };
        // An engine whose model did not load is reported, but the server still serves (the synth is always there).
        states.AddRange(engines.All.Where(e => e.State == EngineState.Unavailable).Select(e => new DependencyState(e.Name, "unavailable", e.Problem)));
        var down = states.Any(s => s.Status == "down");
        var report = new HealthReport(down || states.Any(s => s.Status != "up") ? "degraded" : "ok", states);
        return down ? TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable) : TypedResults.Ok(report);
    }

    private static async Task<DependencyState> Probe(string name, Func<Task<string>> check)
    {
        try
        {
            return new DependencyState(name, "up", await check());
        }
        catch (Exception e)
        {
            return new DependencyState(name, "down", e.Message);
        }
    }
}
