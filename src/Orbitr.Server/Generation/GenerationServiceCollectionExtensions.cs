using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Apis;
using Orbitr.Server.Storage;
using Quartz;

namespace Orbitr.Server.Generation;

public static class GenerationServiceCollectionExtensions
{
    public const string RateLimitPolicy = "generations";

    /// <summary>Engines, the durable queue (Quartz, ADO job store in its own SQLite file under the data folder) and the
    /// per-client rate limit of POST /api/generations.</summary>
    public static IServiceCollection AddOrbitrGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(GenerationOptions.Section).Get<GenerationOptions>() ?? new GenerationOptions();
        var storage = configuration.GetSection(OrbitrOptions.Section).Get<OrbitrOptions>() ?? new OrbitrOptions();
        services.AddSingleton(options);
        services.AddSingleton(configuration.GetSection(MusicGenOptions.Section).Get<MusicGenOptions>() ?? new MusicGenOptions());
        services.AddSingleton<IGenerationEngine, SynthEngine>();
        services.AddSingleton<MusicGenEngine>();
        services.AddSingleton<IGenerationEngine>(sp => sp.GetRequiredService<MusicGenEngine>());
        services.AddSingleton<EngineCatalog>();
        services.AddSingleton<EngineGates>();
        // Load the engines' models at start-up (a broken MusicGen folder is logged once, then reported by /api/engines).
        services.AddHostedService<EngineLoader>();
        services.AddSingleton<GenerationEvents>();
        services.AddSingleton<GenerationQueue>();
        services.AddScoped<GenerationService>();
        services.AddHostedService<GenerationReconciler>();

        var queueDb = Path.Combine(storage.FullDataPath, "queue.db");
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(Math.Max(1, options.MaxConcurrentJobs));
            q.UsePersistentStore(store =>
            {
                store.UseSqlite($"Data Source={queueDb};Pooling=True;Default Timeout=30");
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);

        RateLimits.Describe(services, RateLimitPolicy, "Too many generation requests",
            $"at most {options.RateLimitPermits} generation requests per {options.RateLimitWindowSeconds:0.#} s", options.RateLimitWindowSeconds);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientId.Of(context),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = TimeSpan.FromSeconds(options.RateLimitWindowSeconds),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = RateLimits.RejectAsync;
        });
        return services;
    }
}

/// <summary>Who a request comes from, for the rate limit and the daily quota: the client's address.</summary>
public static class ClientId
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";
}

/// <summary>At start-up, queues every generation the database says is queued or running but the queue does not hold
/// (the process died between recording and queueing, or while the job ran).</summary>
public sealed class GenerationReconciler(IServiceScopeFactory scopes, GenerationQueue queue, ILogger<GenerationReconciler> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbitrDbContext>();
        var open = await db.Generations.AsNoTracking()
            .Where(g => g.Status == GenerationStatus.Queued || g.Status == GenerationStatus.Running)
            .OrderBy(g => g.CreatedAt).Select(g => g.Id).ToListAsync(cancel);
        var requeued = 0;
        foreach (var id in open)
        {
            if (await queue.ContainsAsync(id, cancel)) continue;
            await queue.EnqueueAsync(id, cancel);
            requeued++;
        }
        if (requeued > 0) log.LogInformation("re-queued {Count} generation(s) left unfinished by the last run", requeued);
    }

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
}

/// <summary>Builds the engine catalog (and so loads MusicGen's sessions) while the server starts, not at the first request.</summary>
public sealed class EngineLoader(EngineCatalog engines, ILogger<EngineLoader> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancel)
    {
        log.LogInformation("generation engines: {Engines}", string.Join(", ", engines.All.Select(e => $"{e.Name} ({e.State.ToString().ToLowerInvariant()})")));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
}
