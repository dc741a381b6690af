using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Orbitr.Server.Generation;
using Orbitr.Server.Samples;
using StackExchange.Redis;

namespace Orbitr.Server.Caching;

public static class CachingServiceCollectionExtensions
{
    /// <summary>The cache and shared state ("Orbitr:Cache"): in memory for one process, Redis for several — the
    /// generation result cache (IDistributedCache), rate-limit windows, live updates and sample invalidations.</summary>
    public static IServiceCollection AddOrbitrCache(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CacheOptions.Section).Get<CacheOptions>() ?? new CacheOptions();
        if (!options.UsesRedis && !options.Provider.Equals("memory", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Orbitr:Cache:Provider \"{options.Provider}\" is not supported (memory or redis)");
        services.AddSingleton(options);
        services.AddSingleton<RedisConnection>();
        if (options.UsesRedis)
        {
            services.AddSingleton<IConfigureOptions<RedisCacheOptions>>(sp => new ConfigureOptions<RedisCacheOptions>(o =>
            {
                var redis = sp.GetRequiredService<RedisConnection>();
                o.ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer!);
                o.InstanceName = redis.Prefix + "cache:";
            }));
            services.AddStackExchangeRedisCache(_ => { });
        }
        else services.AddDistributedMemoryCache();
        services.AddSingleton<GenerationResultCache>();
        services.AddHostedService<SharedEventsSubscriber>();
        return services;
    }
}

/// <summary>Cache key → sample id of a finished generation, in IDistributedCache (Redis shared by every process): the
/// cache-hit path then needs no query of the generations table. Only a hint — the database stays the truth, and
/// any cache failure is a miss.</summary>
public sealed class GenerationResultCache(IDistributedCache cache, RedisConnection redis, CacheOptions options, ILogger<GenerationResultCache> log)
{
    private static readonly DistributedCacheEntryOptions Lifetime = new() { SlidingExpiration = TimeSpan.FromDays(7) };

    public async Task<string?> GetAsync(string cacheKey, CancellationToken cancel)
    {
        if (options.UsesRedis && !redis.IsAvailable) return null;
        try
        {
            return await cache.GetStringAsync("generation:" + cacheKey, cancel);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogDebug(e, "cache read failed; answering from the database");
            return null;
        }
    }

    public async Task SetAsync(string cacheKey, string sampleId, CancellationToken cancel)
    {
        if (options.UsesRedis && !redis.IsAvailable) return;
        try
        {
            await cache.SetStringAsync("generation:" + cacheKey, sampleId, Lifetime, cancel);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogDebug(e, "cache write failed");
        }
    }
}

/// <summary>Changes other processes announce through Redis pub/sub: a generation's progress (wakes this process's
/// event streams at once rather than at their next database read) and a deleted sample (forgotten by this process's
/// audio index, so it is never served from memory after another process deleted it).</summary>
public sealed class SharedEventsSubscriber(RedisConnection redis, GenerationEvents events, SampleAudioIndex index) : IHostedService
{
    public const string GenerationChannel = "generation-changed", SampleChannel = "sample-deleted";

    private int _subscribed;

    public async Task StartAsync(CancellationToken cancel)
    {
        if (redis.Multiplexer is not { } mux) return;
        // Redis may be down at start: subscribe when it comes (the multiplexer re-makes subscriptions after later outages).
        mux.ConnectionRestored += (_, _) => _ = SubscribeAsync(mux);
        await SubscribeAsync(mux);
    }

    private async Task SubscribeAsync(IConnectionMultiplexer mux)
    {
        if (!mux.IsConnected || Interlocked.Exchange(ref _subscribed, 1) == 1) return;
        try
        {
            var subscriber = mux.GetSubscriber();
            await subscriber.SubscribeAsync(RedisChannel.Literal(redis.Prefix + GenerationChannel), (_, id) => events.ChangedHere(id!));
            await subscriber.SubscribeAsync(RedisChannel.Literal(redis.Prefix + SampleChannel), (_, id) => index.ForgetHere(id!));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Until then streams re-read the database every 500 ms, and the index checks blobs.
            Interlocked.Exchange(ref _subscribed, 0);
        }
    }

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
}
