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
        services.AddScoped<Kits.KitService>();
        services.AddHostedService<GenerationReconciler>();

        var roles = OrbitrRoles.From(configuration);
        services.AddSingleton(roles);
        var postgres = storage.Database.Provider.ToLowerInvariant() is "postgres" or "postgresql";
        services.AddQuartz(q =>
        {
            // An API-only process puts jobs on the queue and never runs one: no worker threads at all.
            if (roles.RunsJobs) q.UseDefaultThreadPool(Math.Max(1, options.MaxConcurrentJobs));
            else q.UseThreadPool<Quartz.Impl.ZeroSizeThreadPool>();
            q.UseInstanceIdGenerator(new ProcessInstanceId());
            // A job put on the shared queue by another process (an API process) wakes no one here: poll for it often,
            // so a generation starts within about a second rather than Quartz's default half minute (1 s is its minimum).
            if (postgres) q.ConfigureScheduler(s => s.IdleWaitTime = TimeSpan.FromSeconds(options.QueuePollSeconds));
            q.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    // Several processes share one queue: Quartz's clustered ADO store on PostgreSQL. A process that stops
                    // checking in has its running jobs (they ask for recovery) handed to another within the threshold.
                    store.UsePostgres(storage.Database.ConnectionString!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(options.ClusterCheckinSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(options.ClusterCheckinSeconds * 2);
                    });
                }
                else
                    store.UseSqlite($"Data Source={Path.Combine(storage.FullDataPath, "queue.db")};Pooling=True;Default Timeout=30");
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        // Only a process that runs jobs starts its scheduler. Started with no threads (an API-only process), Quartz's
        // trigger loop throws and logs on every turn, hundreds of megabytes a minute; left in standby it still puts
        // jobs on the shared queue.
        if (roles.RunsJobs) services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        else services.AddHostedService<StandbyScheduler>();

        RateLimits.Describe(services, RateLimitPolicy, "Too many generation requests",
            $"at most {options.RateLimitPermits} generation requests per {options.RateLimitWindowSeconds:0.#} s", options.RateLimitWindowSeconds);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context => Caching.SharedRateLimits.FixedWindow(context, RateLimitPolicy, ClientId.Of(context),
                options.RateLimitPermits, TimeSpan.FromSeconds(options.RateLimitWindowSeconds)));
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

/// <summary>"Orbitr:Roles": all (default), api (serves HTTP, runs no jobs) or worker (runs jobs, serves only health).</summary>
public sealed record OrbitrRoles(bool ServesApi, bool RunsJobs)
{
    public static OrbitrRoles From(IConfiguration configuration) => (configuration["Orbitr:Roles"] ?? "all").Trim().ToLowerInvariant() switch
    {
        "all" or "" => new(true, true),
        "api" => new(true, false),
        "worker" => new(false, true),
        var other => throw new InvalidOperationException($"Orbitr:Roles \"{other}\" is not one of all, api, worker"),
    };

    public string Name => (ServesApi, RunsJobs) switch { (true, true) => "all", (true, false) => "api", _ => "worker" };
}

/// <summary>An API-only process's scheduler: created at start (so the first request does not pay for it), never
/// started, shut down with the process.</summary>
public sealed class StandbyScheduler(ISchedulerFactory schedulers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await schedulers.GetScheduler(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await (await schedulers.GetScheduler(cancellationToken)).Shutdown(waitForJobsToComplete: false, cancellationToken);
}

/// <summary>A Quartz instance id unique per process (host, process id and a random part), as clustering requires.</summary>
public sealed class ProcessInstanceId : Quartz.Extensibility.IInstanceIdGenerator
{
    public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
}
